"""The printed forms are Chinese documents: a reader of the English interface still gets the
form as the measures print it, its dates and page numbers written the Chinese way."""

import pytest
from django.utils import translation

from manyi.applications.documents import pdf as documents_pdf
from tests.applications.test_output import (
    filled_confirmation,
    full_application,
    pdf_text,
    recommend,
)

pytestmark = pytest.mark.django_db


def test_the_application_form_prints_in_chinese_for_an_english_reader(world, tmp_path):
    application = full_application(world, "brand")
    recommend(world, application)  # signed on 1 November 2026

    with translation.override("en"):
        text = pdf_text(documents_pdf.application_pdf(application), tmp_path)

    assert "2026年11月1日" in text
    assert "1Nov2026" not in text
    assert "职工人数" in text
    assert "第1页共" in text


def test_the_confirmation_form_prints_in_chinese_for_an_english_reader(world, tmp_path):

    confirmation = filled_confirmation(full_application(world, "brand"))

    with translation.override("en"):
        text = pdf_text(documents_pdf.confirmation_pdf(confirmation), tmp_path)

    assert f"{confirmation.signed_on.year}年3月2日" in text
    assert "第1页共" in text
