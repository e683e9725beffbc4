"""The payments recorded, read-only in the admin (the gateway writes them)."""

from typing import Any, Optional

from django.contrib import admin
from django.http import HttpRequest

from .models import Payment


@admin.register(Payment)
class PaymentAdmin(admin.ModelAdmin):
    list_display = ("order_id", "pay_no", "amount_fen", "merchant_id", "first_seen_via", "recorded_at")
    search_fields = ("order_id", "pay_no")
    list_filter = ("merchant_id",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Optional[Any] = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Optional[Any] = None) -> bool:
        return False
