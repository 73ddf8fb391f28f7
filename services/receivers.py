"""Keep the catalogue's caches fresh: Service.updated_at, on which the cached cards are keyed
(services/cards.py), moves when a service's districts change (a many-to-many change saves no
service); and any saved or deleted service, directorate or district, or a change of districts,
renews the catalogue's version, on which its cached pages and choices are kept
(services/catalogue_cache.py). So does a migration or a flush (post_migrate)."""

from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
from django.dispatch import receiver
from django.utils import timezone

from services import catalogue_cache
from services.models import Directorate, District, Service


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
    catalogue_cache.changed()


@receiver(post_save, sender=District, dispatch_uid="services.district_saved")
def district_saved(sender, instance, created, **kwargs):
    if not created:  # a renamed district: its services' cards show its name
        Service.objects.filter(districts=instance).update(updated_at=timezone.now())


@receiver(post_save, sender=Service, dispatch_uid="services.catalogue_saved.service")
@receiver(post_save, sender=Directorate, dispatch_uid="services.catalogue_saved.directorate")
@receiver(post_save, sender=District, dispatch_uid="services.catalogue_saved.district")
@receiver(post_delete, sender=Service, dispatch_uid="services.catalogue_deleted.service")
@receiver(post_delete, sender=Directorate, dispatch_uid="services.catalogue_deleted.directorate")
@receiver(post_delete, sender=District, dispatch_uid="services.catalogue_deleted.district")
def catalogue_changed(sender, **kwargs):
    catalogue_cache.changed()


@receiver(post_migrate, dispatch_uid="services.catalogue_migrated")
def catalogue_migrated(sender, **kwargs):
    catalogue_cache.changed()
