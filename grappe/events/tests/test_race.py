"""No seat is ever sold twice: registrations raced in threads on PostgreSQL, where each
thread has its own connection and transactions really run at the same time. (SQLite
serialises every write, so the race cannot happen there: these tests are skipped.)"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from grappe.events.models import PriceCategory, Registration, RegistrationStatus
from grappe.events.services.registrations import registration_cancel, registration_create
from grappe.events.tests.factories import EventFactory, ticket_of
from grappe.members.tests.factories import PersonFactory, UserFactory

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]
S = RegistrationStatus
PEOPLE = 20


def _people(n: int) -> list[Any]:
    users = []
    for _ in range(n):
        user = UserFactory()
        PersonFactory(user=user, email=user.email)
        users.append(user)
    return users


def _race(calls: list[Callable[[], Any]]) -> tuple[list[Any], list[BaseException]]:
    """Run the calls in threads released together; collect results and exceptions."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def run(call: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=30)
            outcome = call()
            with lock:
                results.append(outcome)
        except BaseException as error:  # noqa: BLE001 - every failure is reported
            with lock:
                errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results, errors


def _register(user: Any, event: Any, category: str = PriceCategory.NON_MEMBER) -> Callable[[], Any]:
    def call() -> Registration:
        return registration_create(
            actor=user, event=event, person=user.person, ticket=ticket_of(event, category)
        )

    return call


def test_many_people_racing_for_few_seats_get_exactly_the_capacity():
    # given an event with 5 seats and 20 people
    event = EventFactory(capacity=5)
    people = _people(PEOPLE)
    # when they all register at the same instant
    results, errors = _race([_register(user, event) for user in people])
    # then exactly 5 are confirmed, the other 15 wait, nobody failed, nobody twice
    assert errors == []
    statuses = Counter(Registration.objects.filter(event=event).values_list("status", flat=True))
    assert statuses == {S.CONFIRMED: 5, S.WAITLISTED: 15}
    assert Counter(r.status for r in results) == {S.CONFIRMED: 5, S.WAITLISTED: 15}
    per_person = Counter(Registration.objects.filter(event=event).values_list("person", flat=True))
    assert set(per_person.values()) == {1}


def test_a_ticket_categorys_own_capacity_holds_under_a_race():
    # given 10 seats in all but only 3 non-member seats
    event = EventFactory(capacity=10)
    ticket = ticket_of(event, PriceCategory.NON_MEMBER)
    ticket.capacity = 3
    ticket.save()
    people = _people(12)
    # when 12 people race for the non-member ticket
    _results, errors = _race([_register(user, event) for user in people])
    # then 3 have a seat
    assert errors == []
    statuses = Counter(Registration.objects.filter(event=event).values_list("status", flat=True))
    assert statuses == {S.CONFIRMED: 3, S.WAITLISTED: 9}


def test_one_person_registering_many_times_at_once_is_registered_once():
    # given one person who sends the form 10 times at once
    event = EventFactory(capacity=5)
    (user,) = _people(1)
    # when the 10 requests race
    results, errors = _race([_register(user, event) for _ in range(10)])
    # then one registration exists; the 9 others were told clearly, with no database error
    assert len(results) == 1
    assert len(errors) == 9
    assert all(isinstance(error, ValidationError) for error in errors)
    assert {tuple(error.message_dict) for error in errors} == {("person",)}  # type: ignore[attr-defined]
    assert Registration.objects.filter(event=event).count() == 1


def test_cancellations_and_registrations_racing_keep_the_count_right():
    # given a full event of 5 seats, 5 people waiting, and 5 newcomers
    event = EventFactory(capacity=5)
    holders, waiting, newcomers = _people(5), _people(5), _people(5)
    seats = [_register(user, event)() for user in holders]
    for user in waiting:
        _register(user, event)()
    # when the 5 holders cancel while the 5 newcomers register, all at once
    cancels = [
        (lambda u=user, r=seat: registration_cancel(actor=u, registration=r))
        for user, seat in zip(holders, seats, strict=True)
    ]
    _results, errors = _race(cancels + [_register(user, event) for user in newcomers])
    # then the freed seats went to the people waiting (offered), never beyond 5, and the
    # newcomers wait behind them
    assert errors == []
    statuses = Counter(Registration.objects.filter(event=event).values_list("status", flat=True))
    assert statuses[S.CANCELLED] == 5
    assert statuses[S.CONFIRMED] + statuses[S.OFFERED] == 5
    assert statuses[S.WAITLISTED] == 5
    newcomer_statuses = set(
        Registration.objects.filter(event=event, person__user__in=newcomers).values_list(
            "status", flat=True
        )
    )
    assert newcomer_statuses == {S.WAITLISTED}
