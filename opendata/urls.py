from django.urls import path  # noqa: F401 - the register's and the API's routes join here

app_name = "opendata"

urlpatterns = []
