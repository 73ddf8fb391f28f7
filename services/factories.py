import datetime
from decimal import Decimal

import factory
from django.utils import timezone
from django.utils.text import slugify

from services.models import DeliveryModel, Directorate, District, Portfolio, Service


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"District {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))


class DirectorateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Directorate
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Directorate {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))


class ServiceFactory(factory.django.DjangoModelFactory):
    """A service open for bids today unless told otherwise."""

    class Meta:
        model = Service
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Service {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    summary = "What the service does, for whom."
    directorate = factory.SubFactory(DirectorateFactory)
    portfolio = Portfolio.BUSINESS_CAPABILITY
    gross_budget = Decimal("1200000.00")
    net_budget = Decimal("1000000.00")
    delivery_model = DeliveryModel.IN_HOUSE
    market_review_tranche = 1
    bid_window_opens = factory.LazyFunction(
        lambda: timezone.localdate() - datetime.timedelta(days=30)
    )
    bid_window_closes = factory.LazyFunction(
        lambda: timezone.localdate() + datetime.timedelta(days=60)
    )
    figures_illustrative = True

    @factory.post_generation
    def districts(self, create, extracted, **kwargs):
        if create and extracted:
            self.districts.set(extracted)
