"""A shop's Django project with cmpay.django installed, as its README says
(tests/servers/test_frameworks.py runs it under gunicorn). The merchant
from the CMPAY_* variables; the database from SHOP_DB (SQLite) or
SHOP_PG_* (PostgreSQL)."""

import os

SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1"]
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "cmpay.django",
    "shop",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]
ROOT_URLCONF = "shopsite.urls"
TEMPLATES = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates",
    "APP_DIRS": True,
    "OPTIONS": {"context_processors": [
        "django.template.context_processors.request",
        "django.contrib.auth.context_processors.auth",
        "django.contrib.messages.context_processors.messages",
    ]},
}]
if os.environ.get("SHOP_PG_PORT"):
    DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "HOST": "127.0.0.1",
                             "PORT": os.environ["SHOP_PG_PORT"], "NAME": os.environ["SHOP_PG_DB"],
                             "USER": os.environ["SHOP_PG_USER"]}}
else:
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.environ["SHOP_DB"],
                             "OPTIONS": {"timeout": 10}}}
USE_TZ = True
STATIC_URL = "static/"
LOGGING = {
    "version": 1,
    "handlers": {"stderr": {"class": "logging.StreamHandler"}},
    "loggers": {"cmpay": {"handlers": ["stderr"], "level": "INFO"},
                "django.request": {"handlers": ["stderr"], "level": "ERROR"}},
}
# The merchant and the gateway from the CMPAY_* variables (the library reads them).
CMPAY = {"ORDER_AMOUNT": "shop.orders.order_amount"}
