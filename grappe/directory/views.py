from django.http import HttpRequest, HttpResponse


def search(request: HttpRequest) -> HttpResponse:
    return HttpResponse("")


def map_view(request: HttpRequest) -> HttpResponse:
    return HttpResponse("")


def profile(request: HttpRequest, slug: str) -> HttpResponse:
    return HttpResponse("")
