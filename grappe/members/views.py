from django.http import HttpRequest, HttpResponse


def join(request: HttpRequest) -> HttpResponse:
    return HttpResponse("")
