from django.urls import path
from django.views.generic import TemplateView

app_name = "services"

urlpatterns = [
    path("", TemplateView.as_view(template_name="home.html"), name="list"),  # placeholder
    path("<slug:slug>/", TemplateView.as_view(template_name="home.html"), name="detail"),
]
