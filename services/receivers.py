"""Keeps Service.updated_at, on which the catalogue's cached cards are keyed (services/cards.py),
moving when a service's districts change: a many-to-many change saves no service."""

from django.db.models.signals import m2m_changed, post_save
from django.dispatch import receiver
from django.utils import timezone

from services.models import District, Service


@receiver(m2m_changed, sender=Service.districts.through, dispatch_uid="services.districts_changed")
def districts_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in {"post_add", "post_remove", "pre_clear"}:
        return
    if not reverse:  # service.districts.add(…), .remove(…), .set(…), .clear()
        changed = Service.objects.filter(pk=instance.pk)
    elif action == "pre_clear":  # district.services.clear(): before they are gone
        changed = Service.objects.filter(districts=instance)
    else:
        changed = Service.objects.filter(pk__in=pk_set)
    changed.update(updated_at=timezone.now())


@receiver(post_save, sender=District, dispatch_uid="services.district_saved")
def district_saved(sender, instance, created, **kwargs):
    if not created:  # a renamed district: its services' cards show its name
        Service.objects.filter(districts=instance).update(updated_at=timezone.now())
