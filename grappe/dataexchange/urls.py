from django.urls import path

app_name = "dataexchange"
urlpatterns: list = []
