"""Reads of categories for filing a report."""

from pathlib import Path

from geoportal.sql import instance_from_row, sql_file
from reports.models import Category, Question

SQL = Path(__file__).resolve().parent.parent / "sql" / "category_for_filing.sql"


def category_for_filing(code: str) -> tuple[Category | None, list[Question]]:
    """The category with this code and its questions in their order (what
    `category.questions.all()` gives), in one query: (None, []) when there is none."""
    category = next(iter(Category.objects.raw(sql_file(SQL), {"code": code})), None)
    if category is None:
        return None, []
    rows = category.filing_questions
    del category.filing_questions
    return category, [instance_from_row(Question, row, category._state.db) for row in rows]
