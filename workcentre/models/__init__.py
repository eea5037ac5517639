"""The data model, split by area of the product."""

from ._types import HALVES, SLOT_KEYS, WEEKDAYS, name_key, utcnow
from .actuals import ActualCount
from .audit import AuditEvent, AuditLogIsAppendOnly
from .closures import ClosureDay
from .learning import LearningDecision
from .orders import (
    OPEN_STATUSES,
    Order,
    OrderEvent,
    OrderLine,
    OrderNumber,
    OrderStatus,
    OrderStep,
    Product,
)
from .org import Area, Centre, TaskInstruction, TaskType
from .people import Absence, Participant, ParticipantSupport, Preference
from .plan_edits import PlanEdit
from .plans import Assignment, HelpRequest, InstructorPlacement, PlanRun, ProgressReport, WeekPlan
from .register import RegisterMark
from .tablet import PinGuard, UnitsCheck
from .users import Company, Instructor, Kiosk, LoginAttempt, Role, User
from .voice import TaskFeeling, TaskWish, TrainingGoal

__all__ = [
    "HALVES", "OPEN_STATUSES", "SLOT_KEYS", "WEEKDAYS", "Absence", "ActualCount", "Area",
    "Assignment", "AuditEvent",
    "AuditLogIsAppendOnly", "Centre", "ClosureDay", "Company", "HelpRequest", "Instructor",
    "InstructorPlacement", "Kiosk", "LearningDecision", "LoginAttempt", "Order", "OrderEvent",
    "OrderLine",
    "OrderNumber", "OrderStatus", "OrderStep", "Participant", "ParticipantSupport", "PinGuard",
    "PlanEdit", "PlanRun", "Preference", "Product", "ProgressReport", "RegisterMark", "Role",
    "TaskFeeling", "TaskInstruction", "TaskType", "TaskWish", "TrainingGoal", "UnitsCheck",
    "User", "WeekPlan", "name_key", "utcnow",
]
