app_name = "dataexchange"
urlpatterns: list = []
