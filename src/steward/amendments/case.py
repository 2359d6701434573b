"""One amendment request as its pages show it: the items with their decisions and statements,
the hearing with its schedules, the letters. Read in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet

from steward.amendments.models import (
    AmendmentRequest,
    Decision,
    Hearing,
    Item,
    Letter,
    Outcome,
    Schedule,
    Stage,
    Statement,
    Status,
)


@dataclass
class ItemView:
    item: Item
    initial: Decision | None = None
    heard: Decision | None = None
    statements: list[Statement] = field(default_factory=list)

    @property
    def refused(self) -> bool:
        return self.initial is not None and self.initial.outcome == Outcome.REFUSE

    @property
    def upheld(self) -> bool:
        """The hearing kept the information as it is: the family may place a statement."""
        return self.heard is not None and self.heard.outcome == Outcome.REFUSE


@dataclass
class Case:
    amendment: AmendmentRequest
    items: list[ItemView]
    hearing: Hearing | None
    schedules: list[Schedule]
    letters: list[Letter]

    @property
    def schedule(self) -> Schedule | None:
        """The hearing's current schedule (the latest)."""
        return self.schedules[-1] if self.schedules else None

    @property
    def undecided(self) -> list[ItemView]:
        return [v for v in self.items if v.initial is None]

    @property
    def refused(self) -> list[ItemView]:
        return [v for v in self.items if v.refused]

    @property
    def may_ask_hearing(self) -> bool:
        return (
            self.amendment.status == Status.DECIDED and self.hearing is None and bool(self.refused)
        )


def requests_of(queryset: QuerySet[AmendmentRequest]) -> QuerySet[AmendmentRequest]:
    return queryset.select_related("student", "hearing")


def load(amendment: AmendmentRequest) -> Case:
    """Everything the pages show of `amendment` (read with `requests_of`). Five queries."""
    views: list[ItemView] = []
    for item in (
        Item.objects.filter(request=amendment)
        .prefetch_related(
            "decisions",
            Prefetch("statements", queryset=Statement.objects.order_by("made_at", "pk")),
        )
        .order_by("position")
    ):
        view = ItemView(item, statements=list(item.statements.all()))
        for decision in item.decisions.all():
            if decision.stage == Stage.INITIAL:
                view.initial = decision
            else:
                view.heard = decision
        views.append(view)
    hearing = getattr(amendment, "hearing", None)
    schedules = (
        list(
            Schedule.objects.filter(hearing=hearing)
            .select_related("attestation_document")
            .defer("attestation_document__content")
            .order_by("scheduled_at", "pk")
        )
        if hearing is not None
        else []
    )
    letters = list(Letter.objects.filter(request=amendment).order_by("issued_at", "pk"))
    return Case(amendment, views, hearing, schedules, letters)
