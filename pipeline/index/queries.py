"""Counts behind the Decision 766/QĐ-TTg indicators, grouped by agency, level, procedure and period.

Per dossier received (docs/domain.md):
- 4.2 digitization: numerator = dossiers with at least one component, every component digitized
  (stored or reused), and, when the procedure issues a result, a digitized result; denominator =
  dossiers received. Also the province's simpler figure: dossiers with at least one digitized
  component over the same denominator.
- 4.3 reuse: numerator = dossiers with at least one reused component; denominator = dossiers received.
- 4.1 electronic results: numerator = dossiers with a result file, among those whose procedure
  issues a result; denominator = dossiers whose procedure issues a result.
Periods are calendar months, quarters or years in Vietnam time (UTC+7) of `received_at`. The
rates and points themselves (rate x points / target) belong to the report; this module counts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from datetime import date, datetime, time, timedelta, timezone
from typing import Any, Literal

from sqlalchemy import and_, case, func, literal_column, or_, select
from sqlalchemy.orm import Session

from pipeline.index.db import Index
from pipeline.index.models import ComponentRecord, ComponentStatus, DossierRecord, ResultRecord

GroupKey = Literal["agency", "level", "procedure", "period"]
Period = Literal["month", "quarter", "year"]
GROUP_KEYS: tuple[str, ...] = ("agency", "level", "procedure", "period")
VIETNAM_TIME = timezone(timedelta(hours=7))


@dataclass(frozen=True)
class IndicatorCounts:
    """Every numerator and denominator for one group (keys of `group` are the requested group_by)."""

    group: dict[str, str]
    received: int  # dossiers received: denominator of 4.2 and 4.3
    digitized: int  # 4.2 numerator
    with_digitized_components: int  # the province's simpler numerator
    reused: int  # 4.3 numerator
    result_required: int  # 4.1 denominator
    with_result_file: int  # 4.1 numerator


@dataclass(frozen=True)
class Counts:
    """One indicator for one group: numerator over denominator."""

    group: dict[str, str]
    numerator: int
    denominator: int

    @property
    def rate(self) -> float | None:
        return self.numerator / self.denominator if self.denominator else None


@dataclass(frozen=True)
class DigitizationCounts(Counts):
    with_digitized_components: int = 0  # numerator of the simpler rate, same denominator

    @property
    def simple_rate(self) -> float | None:
        return self.with_digitized_components / self.denominator if self.denominator else None


def _as_utc(value: date | datetime) -> datetime:
    """A bound of the period filter; a bare date is midnight in Vietnam time."""
    if not isinstance(value, datetime):
        value = datetime.combine(value, time(0), VIETNAM_TIME)
    if value.tzinfo is None:
        raise ValueError("period bounds must be time-zone aware datetimes or dates")
    return value.astimezone(timezone.utc)


def _month_expression(dialect: str) -> Any:
    """'YYYY-MM' of received_at in Vietnam time, in the database's own date functions."""
    column = DossierRecord.received_at
    if dialect == "sqlite":  # stored as naive UTC text
        return func.strftime("%Y-%m", column, "+7 hours")
    if dialect == "postgresql":
        return func.to_char(func.timezone("UTC", column) + literal_column("INTERVAL '7 hours'"), "YYYY-MM")
    raise NotImplementedError(f"period grouping is not implemented for {dialect}")


def _fold_period(month: str, period: Period) -> str:
    year, mon = month.split("-")
    if period == "year":
        return year
    if period == "quarter":
        return f"{year}-Q{(int(mon) - 1) // 3 + 1}"
    return month


def _run(session: Session, group_by: Sequence[str], period: Period, start: date | datetime | None,
         end: date | datetime | None, agency_code: str | None, level: str | None,
         procedure_code: str | None) -> list[IndicatorCounts]:
    unknown = set(group_by) - set(GROUP_KEYS)
    if unknown:
        raise ValueError(f"cannot group by {sorted(unknown)}; choose from {GROUP_KEYS}")
    if period not in ("month", "quarter", "year"):
        raise ValueError(f"period must be month, quarter or year, not {period!r}")
    one = literal_column("1")
    comp = (select(ComponentRecord.dossier_id.label("dossier_id"),
                   func.count().label("n"),
                   func.sum(case((ComponentRecord.digitized.is_(True), 1), else_=0)).label("n_digitized"),
                   func.sum(case((ComponentRecord.status == ComponentStatus.REUSED.value, 1), else_=0))
                   .label("n_reused"))
            .group_by(ComponentRecord.dossier_id).subquery())
    res = (select(ResultRecord.dossier_id.label("dossier_id"),
                  func.max(case((ResultRecord.digitized.is_(True), 1), else_=0)).label("any_digitized"),
                  func.max(case((ResultRecord.file_key != "", 1), else_=0)).label("any_file"))
           .group_by(ResultRecord.dossier_id).subquery())
    n = func.coalesce(comp.c.n, 0)
    n_digitized = func.coalesce(comp.c.n_digitized, 0)
    required = DossierRecord.result_required.is_(True)
    result_ok = or_(DossierRecord.result_required.is_(False), func.coalesce(res.c.any_digitized, 0) == 1)
    digitized = and_(n > 0, n_digitized == n, result_ok)

    columns = {"agency": DossierRecord.agency_code, "level": DossierRecord.level,
               "procedure": DossierRecord.procedure_code,
               "period": _month_expression(session.get_bind().dialect.name)}
    keys = [k for k in GROUP_KEYS if k in group_by]
    group_cols = [columns[k].label(k) for k in keys]
    query = (select(*group_cols,
                    func.count(DossierRecord.id).label("received"),
                    func.sum(case((digitized, one), else_=0)).label("digitized"),
                    func.sum(case((n_digitized > 0, one), else_=0)).label("with_digitized_components"),
                    func.sum(case((func.coalesce(comp.c.n_reused, 0) > 0, one), else_=0)).label("reused"),
                    func.sum(case((required, one), else_=0)).label("result_required"),
                    func.sum(case((and_(required, func.coalesce(res.c.any_file, 0) == 1), one), else_=0))
                    .label("with_result_file"))
             .select_from(DossierRecord)
             .outerjoin(comp, comp.c.dossier_id == DossierRecord.id)
             .outerjoin(res, res.c.dossier_id == DossierRecord.id))
    if start is not None:
        query = query.where(DossierRecord.received_at >= _as_utc(start))
    if end is not None:
        query = query.where(DossierRecord.received_at < _as_utc(end))
    if agency_code is not None:
        query = query.where(DossierRecord.agency_code == agency_code)
    if level is not None:
        query = query.where(DossierRecord.level == str(level))
    if procedure_code is not None:
        query = query.where(DossierRecord.procedure_code == procedure_code)
    if group_cols:
        query = query.group_by(*group_cols)

    merged: dict[tuple[str, ...], IndicatorCounts] = {}
    names = [f.name for f in fields(IndicatorCounts) if f.name != "group"]
    for row in session.execute(query):
        data = row._mapping
        if not data["received"]:
            continue
        group = {k: str(data[k]) for k in keys}
        if "period" in group:
            group["period"] = _fold_period(group["period"], period)
        counts = IndicatorCounts(group=group, **{name: int(data[name] or 0) for name in names})
        key = tuple(group[k] for k in keys)
        if key in merged:  # months folded into the same quarter or year
            old = merged[key]
            counts = replace(old, **{name: getattr(old, name) + getattr(counts, name) for name in names})
        merged[key] = counts
    return [merged[key] for key in sorted(merged)]


def indicator_counts(index_or_session: Index | Session, *, group_by: Sequence[GroupKey] = ("agency",),
                     period: Period = "month", start: date | datetime | None = None,
                     end: date | datetime | None = None, agency_code: str | None = None,
                     level: str | None = None, procedure_code: str | None = None) -> list[IndicatorCounts]:
    """All counts per group; `start` inclusive, `end` exclusive (dates are Vietnam midnights)."""
    args = (group_by, period, start, end, agency_code, level, procedure_code)
    if isinstance(index_or_session, Session):
        return _run(index_or_session, *args)
    with index_or_session.session() as s:
        return _run(s, *args)


def reuse_counts(index_or_session: Index | Session, **kwargs: Any) -> list[Counts]:
    """Indicator 4.3 per group: dossiers with a reused component / dossiers received."""
    return [Counts(c.group, c.reused, c.received) for c in indicator_counts(index_or_session, **kwargs)]


def digitization_counts(index_or_session: Index | Session, **kwargs: Any) -> list[DigitizationCounts]:
    """Indicator 4.2 per group (and the simpler province figure in `with_digitized_components`)."""
    return [DigitizationCounts(c.group, c.digitized, c.received, c.with_digitized_components)
            for c in indicator_counts(index_or_session, **kwargs)]


def result_counts(index_or_session: Index | Session, **kwargs: Any) -> list[Counts]:
    """Indicator 4.1 per group: dossiers with a result file / dossiers whose procedure issues a result."""
    return [Counts(c.group, c.with_result_file, c.result_required)
            for c in indicator_counts(index_or_session, **kwargs)]
