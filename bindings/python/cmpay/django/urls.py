"""``path("cmpay/", include("cmpay.django.urls"))``: the notifyUrl is then .../cmpay/notify."""

from django.urls import path

from . import views

app_name = "cmpay"
urlpatterns = [path("notify", views.notify, name="notify")]
