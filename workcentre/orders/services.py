"""Orders from companies to the work centre: submitted, taken in, changed, made, delivered.

Every change a company should know about leaves an `OrderEvent` (shown on the company's page);
the audit log records who changed what. Nothing here ever touches participants.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import case, func, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from ..extensions import db
from ..locks import hold
from ..models import (
    Assignment,
    Centre,
    Company,
    Order,
    OrderEvent,
    OrderLine,
    OrderNumber,
    OrderStatus,
    OrderStep,
    Product,
    TaskType,
    User,
    WeekPlan,
    name_key,
)


@dataclass(frozen=True)
class LineInput:
    product_name: str
    quantity: int
    wished_date: date | None
    notes: str = ""


@dataclass(frozen=True)
class StepInput:
    line_id: int | None
    task_type_id: int
    quantity: int
    seconds_per_unit: int
    release_date: date | None
    due_date: date | None


def next_reference(year: int) -> str:
    """T-2026-001, T-2026-002, ...: the year's counter raised by one UPDATE in the database.

    The UPDATE holds the counter row until the order is committed, so orders sent at the same
    moment queue for their numbers instead of taking the same one."""
    number = db.session.scalar(_bump(year))
    if number is None:
        _start_counter(year)
        number = db.session.scalar(_bump(year))
    return f"T-{year}-{number:03d}"


def _bump(year: int):
    table = OrderNumber.__table__
    return (update(table).where(table.c.year == year).values(last=table.c.last + 1)
            .returning(table.c.last))


def _start_counter(year: int) -> None:
    """The year's counter, starting after the largest number already given (orders from before
    the counter existed); when two requests start it at once, the second insert does nothing."""
    prefix = f"T-{year}-"
    numbers = [int(ref.removeprefix(prefix)) for ref in db.session.scalars(
        select(Order.reference).where(Order.reference.like(prefix + "%")))
        if ref.removeprefix(prefix).isdigit()]
    insert = (postgresql_insert if db.engine.dialect.name == "postgresql" else sqlite_insert)
    db.session.execute(insert(OrderNumber.__table__)
                       .values(year=year, last=max(numbers, default=0))
                       .on_conflict_do_nothing(index_elements=["year"]))


def submit_order(company: Company, user: User | None, centre: Centre | None,
                 lines: list[LineInput], *, contact_name: str = "", contact_email: str = "",
                 notes: str = "", attachment_path: str | None = None,
                 today: date | None = None) -> Order:
    """A new order as the company sent it (status received). The caller commits."""
    today = today or date.today()
    wished = [line.wished_date for line in lines if line.wished_date]
    order = Order(
        company=company, centre_id=centre.id if centre else None,
        reference=next_reference(today.year), title=lines[0].product_name[:200],
        status=OrderStatus.RECEIVED, wished_date=min(wished) if wished else None,
        contact_name=(contact_name or "").strip(), contact_email=(contact_email or "").strip(),
        notes=(notes or "").strip(), attachment_path=attachment_path,
        created_by_id=user.id if user else None)
    order.lines = [OrderLine(position=n, product_name=line.product_name.strip(),
                             quantity=line.quantity, wished_date=line.wished_date,
                             notes=line.notes.strip()) for n, line in enumerate(lines)]
    order.events = [OrderEvent(kind="received")]
    db.session.add(order)
    return order


def catalogue_product(company_id: int, centre_id: int, name: str) -> Product | None:
    """The company's own product of that name, else the centre's shared one."""
    rows = db.session.scalars(select(Product).where(
        Product.centre_id == centre_id, Product.name_key == name_key(name),
        (Product.company_id == company_id) | Product.company_id.is_(None)))
    return min(rows, key=lambda p: p.company_id is None, default=None)


def accept_order(order: Order, centre: Centre, steps: list[StepInput],
                 confirmed_date: date | None, user: User | None) -> None:
    """Turn the order's lines into steps; the catalogue remembers each product's standard time."""
    order.centre_id = centre.id
    order.steps = [
        OrderStep(line_id=s.line_id, position=n, task_type_id=s.task_type_id,
                  quantity=s.quantity, seconds_per_unit=s.seconds_per_unit,
                  release_date=s.release_date, due_date=s.due_date or confirmed_date)
        for n, s in enumerate(steps)]
    order.status = OrderStatus.ACCEPTED
    order.confirmed_date = confirmed_date
    order.events.append(OrderEvent(kind="accepted", message=_date_text(confirmed_date)))
    lines = {line.id: line for line in order.lines}
    for s in steps:
        line = lines.get(s.line_id)
        if line is not None:
            _remember(order.company_id, centre.id, line.product_name, s)


def _remember(company_id: int, centre_id: int, name: str, step: StepInput) -> None:
    product = db.session.scalars(select(Product).where(
        Product.centre_id == centre_id, Product.company_id == company_id,
        Product.name_key == name_key(name))).first()
    if product is None:
        product = Product(company_id=company_id, centre_id=centre_id, name=name.strip())
        db.session.add(product)
    product.task_type_id = step.task_type_id
    product.seconds_per_unit = step.seconds_per_unit


def decline_order(order: Order, reason: str) -> None:
    order.status = OrderStatus.DECLINED
    order.decline_reason = reason.strip()
    order.events.append(OrderEvent(kind="declined", message=reason.strip()))


def change_order(order: Order, *, quantities: dict[int, int], confirmed_date: date | None,
                 note: str = "") -> bool:
    """Change an accepted order's quantities (per line) or date; False if nothing changed.
    The order is held first and its units re-read, so a tablet report at the same moment is
    counted against the new quantity, not overwritten."""
    lock_order(order.id)
    for step in order.steps:
        db.session.refresh(step, ["units_done"])
    changes = []
    for line in order.lines:
        new = quantities.get(line.id)
        if new is not None and new != line.quantity:
            changes.append(f"{line.product_name}: {line.quantity} → {new}")
            for step in order.steps:
                if step.line_id == line.id:
                    step.quantity = new
                    step.done = step.units_done >= new
            line.quantity = new
    if confirmed_date != order.confirmed_date:
        changes.append(f"{_date_text(order.confirmed_date)} → {_date_text(confirmed_date)}")
        for step in order.steps:
            if step.due_date == order.confirmed_date:
                step.due_date = confirmed_date
        order.confirmed_date = confirmed_date
    if not changes:
        return False
    message = "; ".join(changes) + (f". {note.strip()}" if note.strip() else "")
    order.events.append(OrderEvent(kind="changed", message=message))
    roll_up(order)
    return True


def lock_order(order_id: int) -> OrderStatus:
    """Hold the order until commit, so that units and READY are decided one report at a time;
    its status as the database has it now."""
    return OrderStatus(hold(Order, Order.id == order_id, read=Order.status))


def add_units(step: OrderStep, units: int, held: OrderStatus | None = None) -> None:
    """Units made (a tablet report, its correction, which may be negative, or an instructor's
    confirmation). Added in the database (`units_done = units_done + n`), never read-add-write
    here, so reports sent at the same moment all count; READY is then decided from the database.
    `held`: the caller holds the order already (`lock_order`) and read this status."""
    status = held or lock_order(step.order_id)
    total = OrderStep.units_done + units
    done = db.session.execute(
        update(OrderStep).where(OrderStep.id == step.id)
        .values(units_done=case((total < 0, 0), else_=total), done=total >= OrderStep.quantity)
        .returning(OrderStep.done).execution_options(synchronize_session=False)).scalar_one()
    db.session.expire(step, ["units_done", "done"])
    # A step that is not done cannot change an order in production: nothing to roll up.
    if done or status != OrderStatus.IN_PRODUCTION:
        roll_up(db.session.get(Order, step.order_id))


def roll_up(order: Order) -> None:
    """An order whose steps are all done is ready; work on it means it is in production.

    Decided from the steps as the database has them now (a report at the same moment may have
    added units this session has not seen); the caller holds the order (`lock_order`)."""
    order = db.session.scalars(select(Order).where(Order.id == order.id)
                               .execution_options(populate_existing=True)).one()
    if order.status in (OrderStatus.DECLINED, OrderStatus.DELIVERED):
        return
    steps = db.session.scalars(select(OrderStep).where(OrderStep.order_id == order.id)
                               .execution_options(populate_existing=True)).all()
    if not steps:
        return
    if all(step.done for step in steps):
        if order.status != OrderStatus.READY:
            order.status = OrderStatus.READY
            order.events.append(OrderEvent(kind="ready"))
    elif any(step.units_done for step in steps):
        order.status = OrderStatus.IN_PRODUCTION
    elif order.status == OrderStatus.READY:
        order.status = OrderStatus.IN_PRODUCTION


def mark_planned(order: Order) -> None:
    """An accepted order with work in a published plan is planned (the company sees it)."""
    if order.status == OrderStatus.ACCEPTED:
        order.status = OrderStatus.PLANNED
        order.events.append(OrderEvent(kind="planned"))


def mark_planned_late(order: Order) -> bool:
    """The published plan finishes the order after its confirmed date: the company is told once,
    and again only after the order has been changed. True when it is told now."""
    if order.status in (OrderStatus.RECEIVED, OrderStatus.DECLINED, OrderStatus.READY,
                        OrderStatus.DELIVERED):
        return False
    since = [e.kind for e in order.events if e.kind in ("accepted", "changed", "planned_late")]
    if since and since[-1] == "planned_late":
        return False
    order.events.append(OrderEvent(kind="planned_late"))
    return True


def mark_delivered(order: Order) -> None:
    order.status = OrderStatus.DELIVERED
    order.events.append(OrderEvent(kind="delivered"))


@dataclass(frozen=True)
class Progress:
    done: int
    total: int

    @property
    def percent(self) -> int:
        return 0 if not self.total else min(100, round(100 * self.done / self.total))


def progress(order: Order) -> Progress:
    """Units made of the units ordered: the last step of each line counts (it is the finished
    product); before acceptance the lines count with nothing made."""
    if not order.steps:
        return Progress(0, sum(line.quantity for line in order.lines))
    last = {}
    for step in sorted(order.steps, key=lambda s: s.position):
        last[step.line_id or -step.id] = step
    return Progress(sum(min(s.units_done, s.quantity) for s in last.values()),
                    sum(s.quantity for s in last.values()))


def planned_completion(order: Order, today: date | None = None) -> date | None:
    """The last day the published plans give work to the order, if they cover all that is left."""
    step_ids = {s.id: s for s in order.steps if not s.done}
    if not step_ids or order.centre_id is None:
        return None
    rows = db.session.execute(
        select(Assignment.step_id, func.max(Assignment.day), func.count())
        .join(WeekPlan).where(WeekPlan.state == "published",
                              Assignment.step_id.in_(list(step_ids)),
                              Assignment.day >= (today or date.today()))
        .group_by(Assignment.step_id)).all()
    if {step_id for step_id, _, _ in rows} != set(step_ids):
        return None
    return max(day for _, day, _ in rows)


def task_types_of(centre: Centre) -> list[TaskType]:
    return sorted(centre.task_types, key=lambda k: k.name)


def _date_text(day: date | None) -> str:
    return day.strftime("%-d.%-m.%Y") if day else "—"
