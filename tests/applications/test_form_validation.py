"""Checking form data against the seed's rules, and the Django forms built from the specs."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from manyi.applications.forms.builder import build_form_class, reason_key
from manyi.applications.forms.specs import FORMS, all_fields, form_spec
from manyi.applications.forms.validation import (
    completeness,
    is_product_series,
    is_service_body_name,
    missing_without_reason,
    validate_form,
)

TODAY = dt.date(2018, 3, 15)


@pytest.fixture(autouse=True)
def _clear_cache():
    """No database and no cache are touched here: override the suite's cache clearing."""
    yield


@pytest.fixture(autouse=True)
def _chinese():
    with translation.override("zh-hans"):
        yield


def check(code, data, *, trades=(), reasons=None, submit=False, org=""):
    return validate_form(
        form_spec(code),
        data,
        chosen_trades=set(trades),
        reasons=reasons or {},
        organisation_name=org,
        for_submission=submit,
        today=TODAY,
    )


# Complete, valid data for every form: a value of the right kind for each field.
SAMPLE_BY_KIND = {
    "text": "示例",
    "textarea": "示例说明",
    "int": 12,
    "decimal": "1200.50",
    "percent": "12.5",
    "date": "2017-06-30",
    "year": 2015,
    "phone": "020-83341934",
    "mobile": "13800138000",
    "postcode": "510110",
    "email": "contact@example.com",
}


def full_data(code):
    data = {}
    for field in all_fields(form_spec(code)):
        if field.required_if:
            continue
        if field.kind in ("choice", "yesno"):
            first = field.choices[0][0]
            data[field.key] = [first] if field.multiple else first
        elif field.check == "years":
            data[field.key] = "2015、2016"
        else:
            data[field.key] = SAMPLE_BY_KIND[field.kind]
    overrides = {
        "product": {"product_model": "KFR-35GW/BpX"},
        "service": {"service_name": "家电上门安装维修服务", "service_body": "客户服务中心"},
        "engineering": {"completed_on": "2017-05-01", "accepted_on": "2017-06-30"},
        "brand": {"fixed_assets_original": "5000", "fixed_assets_net": "3000"},
        "enterprise": {"fixed_assets_original": "5000", "fixed_assets_net": "3000"},
    }
    data.update(overrides.get(code, {}))
    return data


ALL_TRADES = {"industrial", "engineering", "service"}


@pytest.mark.parametrize("code", list(FORMS))
def test_complete_data_passes_submission(code):
    assert check(code, full_data(code), trades=ALL_TRADES, submit=True) == {}


@pytest.mark.parametrize("code", list(FORMS))
def test_a_draft_with_partial_data_has_no_missing_errors(code):
    assert check(code, {"name": "广州示例有限公司"}, trades=ALL_TRADES) == {}
    assert check(code, {}, trades=()) == {}


def test_submission_needs_a_value_or_a_reason():
    data = full_data("enterprise")
    del data["forex"]
    errors = check("enterprise", data, trades={"industrial"}, submit=True)
    assert errors == {"forex": "请填写「创汇」，或说明不填原因"}
    reasons = {"forex": "本企业无出口业务"}
    assert check("enterprise", data, trades={"industrial"}, reasons=reasons, submit=True) == {}
    # A blank reason is no reason.
    errors = check("enterprise", data, trades={"industrial"}, reasons={"forex": "  "}, submit=True)
    assert "forex" in errors


def test_required_always_takes_no_reason():
    data = full_data("product")
    del data["product_model"]
    reasons = {"product_model": "型号较多"}
    errors = check("product", data, reasons=reasons, submit=True)
    assert errors == {"product_model": "「产品型号及规格」必须填写"}
    data = full_data("engineering")
    del data["project_type"]
    assert check("engineering", data, submit=True) == {"project_type": "「工程类别」必须填写"}


def test_only_chosen_trade_sections_are_asked():
    data = full_data("enterprise")
    for key in [f.key for f in form_spec("enterprise").section_of("main_project_name").fields]:
        data.pop(key)
    # Engineering not chosen: its empty block does not matter …
    assert check("enterprise", data, trades={"industrial", "service"}, submit=True) == {}
    # … chosen, every field of it is missing.
    errors = check("enterprise", data, trades={"industrial", "engineering"}, submit=True)
    assert set(errors) == {
        f.key for f in form_spec("enterprise").section_of("main_project_name").fields
    }
    assert errors["other_project_cost"] == "请填写「其它工程 · 工程造价」，或说明不填原因"
    # Bad data in a block not chosen is not looked at either.
    data["main_project_cost"] = "-5"
    assert check("enterprise", data, trades={"industrial"}, submit=True) == {}


@pytest.mark.parametrize("code", ["brand", "enterprise"])
def test_brand_and_enterprise_need_a_trade_section(code):
    errors = check(code, full_data(code), trades=(), submit=True)
    assert errors["__all__"].startswith("请根据本行业特点，至少选择一类栏目填写：工业企业填写、")
    # The brand form has no engineering block: choosing it alone is choosing nothing.
    if code == "brand":
        assert "__all__" in check(code, full_data(code), trades={"engineering"}, submit=True)
    # Drafts may leave the choice open.
    assert check(code, full_data(code), trades=()) == {}


def test_product_series_is_refused():
    for model in (
        "KFR系列",
        "A100-A900",
        "A100~A900",
        "XQB全系列",
        "KFR-35GW、KFR-50LW等",
        "Series X",
    ):
        assert is_product_series(model), model
        errors = check("product", {"product_model": model})
        assert errors == {
            "product_model": "「产品型号及规格」：产品必须填写型号、规格，填写系列产品推荐无效"
        }, model
    for model in (
        "KFR-35GW/BpX",
        "XQB80-8188",
        "1.5匹 KFR-35GW",
        "GB/T 19010",
        "型号ZS-100 等级一级",
    ):
        assert not is_product_series(model), model
        assert check("product", {"product_model": model}) == {}, model


def test_service_body_name_is_refused():
    message = (
        "「专项服务名称」：申报服务应填写企业的专项服务名称（不是企业的服务机构），"
        "例如“家电上门维修服务”，而不是“售后服务中心”"
    )
    org = "广州示例电器有限公司"
    cases = [
        ({"service_name": "客户服务中心"}, ""),
        ({"service_name": "售后服务部"}, ""),
        ({"service_name": "维修站"}, ""),
        ({"service_name": "示例集团"}, ""),
        ({"service_name": "广州示例电器有限公司"}, org),
        ({"service_name": "上门维修", "service_body": "上门维修"}, ""),
    ]
    for data, organisation in cases:
        assert check("service", data, org=organisation) == {"service_name": message}, data
    assert (
        check("service", {"service_name": "家电上门安装维修服务", "service_body": "客户服务中心"})
        == {}
    )
    assert not is_service_body_name(
        "24小时热线服务", service_body="热线中心", organisation_name=org
    )


def test_net_fixed_assets_above_original_refused():
    data = {"fixed_assets_original": "100", "fixed_assets_net": "120.5"}
    assert check("brand", data) == {"fixed_assets_net": "「固定资产净值」不能大于「固定资产原值」"}
    assert check("brand", {"fixed_assets_original": "100", "fixed_assets_net": "100"}) == {}


def test_acceptance_before_completion_refused():
    data = {"completed_on": "2017-06-30", "accepted_on": "2017-06-01"}
    assert check("engineering", data) == {"accepted_on": "「验收日期」不能早于「竣工日期」"}
    assert check("engineering", {"completed_on": "2017-06-30", "accepted_on": "2017-06-30"}) == {}


def test_dates_real_and_not_in_the_future():
    assert check("engineering", {"completed_on": "2018-03-16"}) == {
        "completed_on": "「竣工日期」不能晚于今天"
    }
    assert check("engineering", {"completed_on": "2017-02-30"}) == {
        "completed_on": "「竣工日期」应为有效日期，例如 2017-06-30"
    }
    assert check("engineering", {"completed_on": dt.date(2017, 1, 2)}) == {}


def test_percentages_and_negatives():
    assert check("product", {"market_share": "120"}) == {
        "market_share": "「国内市场占有率」应在 0 到 100 之间"
    }
    assert check("product", {"market_share": 100}) == {}
    assert check("product", {"market_share": "-1"}) == {
        "market_share": "「国内市场占有率」不能为负数"
    }
    assert check("product", {"sales_volume": -3}) == {"sales_volume": "「年销售量」不能为负数"}
    assert check("product", {"sales_volume": "1.5"}) == {"sales_volume": "「年销售量」应为整数"}
    assert check("product", {"forex": "一百"}) == {"forex": "「创汇」应为数字，例如 1234.56"}
    assert check("product", {"forex": "NaN"}) == {"forex": "「创汇」应为数字，例如 1234.56"}
    assert check("product", {"forex": True}) == {"forex": "「创汇」应为数字，例如 1234.56"}
    assert check("enterprise", {"other_product_market_share": "101"}, trades={"industrial"}) == {
        "other_product_market_share": "「其它批量产品 · 国内市场占有率」应在 0 到 100 之间"
    }


def test_phones_postcodes_emails_years():
    good = {
        "phone": "020-83341934-807",
        "mobile": "13800138000",
        "fax": "02083325475",
        "postcode": "510110",
        "email": "GZZLXH@sina.com",
    }
    assert check("product", good) == {}
    assert check("product", {"phone": "13800138000"}) == {}  # a mobile is a phone too
    bad = {
        "phone": "8334",
        "mobile": "020-83341934",
        "postcode": "51011",
        "email": "not-an-address",
    }
    assert check("product", bad) == {
        "phone": "「联系人办公电话」不是有效的电话号码，例如 020-83341934 或 13800138000",
        "mobile": "「手机」不是有效的手机号码，例如 13800138000",
        "postcode": "「邮编」应为6位数字",
        "email": "「E-mail」不是有效的电子邮箱地址",
    }
    assert check("engineering", {"project_postcode": "abc"}) == {
        "project_postcode": "「联系地址 · 邮编」应为6位数字"
    }
    assert check("confirmation", {"certification_year": 1948}) == {
        "certification_year": "「何年获得质量体系认证」应为 1949 到 2018 之间的年份"
    }
    assert "certification_year" in check("confirmation", {"certification_year": 2019})
    assert check("confirmation", {"certification_year": "2008"}) == {}


def test_choices_from_the_seed_only():
    assert check("engineering", {"project_type": "bridge"}) == {
        "project_type": "「工程类别」的选项无效"
    }
    assert check("confirmation", {"categories": ["brand", "castle"]}) == {
        "categories": "「申报类别」的选项无效"
    }
    assert check("confirmation", {"categories": "brand"}) == {
        "categories": "「申报类别」的选项无效"
    }
    assert check("confirmation", {"tqm": "maybe"}) == {"tqm": "「已推行TQM」的选项无效"}
    assert (
        check("confirmation", {"tqm": "no", "iso9000": "yes", "categories": ["brand", "service"]})
        == {}
    )


def test_other_engineering_type_needs_its_text():
    data = full_data("engineering")
    data["project_type"] = "other"
    errors = check("engineering", data, submit=True)
    assert errors == {"project_type_other": "「工程类别」选择“其它”时，请填写「其它工程类别」"}
    data["project_type_other"] = "水利工程"
    assert check("engineering", data, submit=True) == {}
    # Not asked when another type is chosen, and no reason is wanted for it.
    data = full_data("engineering")
    assert "project_type_other" not in missing_without_reason(
        form_spec("engineering"), data, chosen_trades=set(), reasons={}
    )


def test_text_length():
    errors = check("product", {"product_name": "产" * 201})
    assert errors == {"product_name": "「产品名称」不能超过 200 个字"}


def test_missing_without_reason_and_completeness():
    spec = form_spec("brand")
    data = {"name": "广州示例有限公司", "brand_name": "示例", "forex": "0"}
    reasons = {"fax": "无传真", "name": "ignored: it is filled"}
    missing = missing_without_reason(spec, data, chosen_trades={"service"}, reasons=reasons)
    assert "fax" not in missing
    assert "name" not in missing
    assert "forex" not in missing
    assert "legal_representative" in missing
    assert "main_service_name" in missing
    assert "main_product_name" not in missing  # industrial not chosen
    assert missing[0] == "legal_representative"  # form order
    progress = completeness(spec, data, {"service"}, reasons)
    assert list(progress) == ["enterprise", "quality", "service"]
    assert progress["enterprise"] == (4, 21)
    assert progress["quality"] == (0, 2)
    assert progress["service"] == (0, 10)
    full = completeness(spec, full_data("brand"), {"industrial", "service"}, {})
    assert all(done == total for done, total in full.values())


# --- the built Django forms --------------------------------------------------------------


def post_data(code, values, reasons=None):
    """Form-encoded data as a browser sends it."""
    out = {}
    for key, value in values.items():
        out[key] = value if isinstance(value, list) else str(value)
    for key, reason in (reasons or {}).items():
        out[reason_key(key)] = reason
    return out


@pytest.mark.parametrize("code", list(FORMS))
def test_each_form_renders_every_label(code):
    spec = form_spec(code)
    form_class = build_form_class(spec, chosen_trades=ALL_TRADES, data_year=2017)
    form = form_class()
    html = form.as_p()
    included = render_to_string("includes/form_fields.html", {"form": form})
    for field in all_fields(spec):
        label = field.label_for(2017)
        assert label in html, label
        assert label in included, label
    assert "未填原因" in html
    if code == "confirmation":
        assert "2017年开展用户满意评价情况" in html
        assert 'type="date"' in html
        assert 'type="checkbox"' in html
    sections = [s.key for s, _fields in form.fieldsets()]
    assert sections == [s.key for s in spec.active_sections(ALL_TRADES)]


def test_widgets_fit_the_kinds():
    form = build_form_class(form_spec("engineering"), chosen_trades=set())()
    html = form.as_p()
    assert 'name="project_budget"' in html
    assert 'type="number"' in html
    assert form.fields["project_type"].choices[0] == ("", "请选择")
    assert [v for v, _l in form.fields["project_type"].choices[1:]] == [
        "public_building",
        "municipal",
        "transport",
        "residential",
        "power",
        "other",
    ]
    assert form.fields["completed_on"].widget.input_type == "date"
    assert form.fields["completed_on"].widget.attrs["max"]
    assert form.fields["quality_awards"].widget.__class__.__name__ == "Textarea"
    assert form.fields["project_budget"].label == "工程预算（万元）"
    assert form.fields["floor_area"].label == "建筑面积（平方米）"
    # Reasons follow their fields; required_always and conditional fields take none.
    names = list(form.fields)
    assert names.index("designer__reason") == names.index("designer") + 1
    assert "project_type__reason" not in names
    assert "project_type_other__reason" not in names
    assert "form-select" in form.fields["project_type"].widget.attrs["class"]
    percent = build_form_class(form_spec("product"), chosen_trades=set())().fields["market_share"]
    assert percent.widget.attrs["max"] == 100


def test_only_chosen_trade_sections_are_in_the_form():
    form_class = build_form_class(form_spec("enterprise"), chosen_trades={"service"})
    assert "main_service_name" in form_class.base_fields
    assert "main_product_name" not in form_class.base_fields
    assert "main_project_name" not in form_class.base_fields


@pytest.mark.parametrize("code", list(FORMS))
def test_to_json_round_trip(code):
    spec = form_spec(code)
    form_class = build_form_class(spec, chosen_trades=ALL_TRADES, data_year=2017)
    values = full_data(code)
    form = form_class(post_data(code, values), for_submission=True)
    assert form.is_valid(), form.errors
    stored = form.to_json()
    json.dumps(stored)  # serialisable as it is
    assert stored == {k: _json_like(v) for k, v in values.items()}
    assert form.reasons_json() == {}
    again = form_class(initial=form_class.initial_from(stored, {}))
    for key, value in stored.items():
        assert again[key].value() == value


def _json_like(value):
    return str(value) if isinstance(value, Decimal) else value


def test_to_json_types_and_reasons():
    form_class = build_form_class(form_spec("engineering"), chosen_trades=set())
    data = post_data(
        "engineering",
        {"project_name": "示例大厦", "project_budget": "1234.50", "completed_on": "2017-05-01"},
        reasons={"designer": "本工程由建设单位自行设计", "project_name": "filled, so dropped"},
    )
    form = form_class(data)
    assert form.is_valid(), form.errors
    assert form.to_json() == {
        "project_name": "示例大厦",
        "project_budget": "1234.50",
        "completed_on": "2017-05-01",
    }
    assert form.reasons_json() == {"designer": "本工程由建设单位自行设计"}
    initial = form_class.initial_from(
        form.to_json() | {"main_product_name": "not in this form"}, form.reasons_json()
    )
    assert initial["designer__reason"] == "本工程由建设单位自行设计"
    assert "main_product_name" not in initial
    ints = build_form_class(form_spec("product"), chosen_trades=set())(
        post_data("product", {"sales_volume": "300", "product_model": "A1"})
    )
    assert ints.is_valid(), ints.errors
    assert ints.to_json() == {"sales_volume": 300, "product_model": "A1"}


def test_form_clean_runs_the_spec_rules():
    form_class = build_form_class(form_spec("engineering"), chosen_trades=set())
    form = form_class(
        post_data(
            "engineering",
            {"completed_on": "2017-06-30", "accepted_on": "2017-06-01", "project_budget": "-1"},
        )
    )
    assert not form.is_valid()
    assert form.errors["accepted_on"] == ["「验收日期」不能早于「竣工日期」"]
    assert form.errors["project_budget"] == ["「工程预算」不能为负数"]
    # Unparseable input gets the field's own message, once.
    form = form_class(post_data("engineering", {"project_budget": "abc"}), for_submission=True)
    assert not form.is_valid()
    assert form.errors["project_budget"] == ["「工程预算」应为数字，例如 1234.56"]


def test_form_submission_reports_missing_and_trades():
    form_class = build_form_class(form_spec("brand"), chosen_trades=set())
    form = form_class(post_data("brand", {"name": "广州示例有限公司"}), for_submission=True)
    assert not form.is_valid()
    assert "请根据本行业特点，至少选择一类栏目填写" in form.non_field_errors()[0]
    assert form.errors["brand_name"] == ["「申报品牌名称」必须填写"]
    assert form.errors["fax"] == ["请填写「传真」，或说明不填原因"]
    form = form_class(
        post_data("brand", {"name": "广州示例有限公司"}, reasons={"fax": "无传真"}),
        for_submission=True,
    )
    form.is_valid()
    assert "fax" not in form.errors
    # The same data as a draft is fine.
    assert form_class(post_data("brand", {"name": "广州示例有限公司"})).is_valid()


def test_service_form_uses_the_organisation_name():
    form_class = build_form_class(form_spec("service"), chosen_trades=set())
    form = form_class(
        post_data("service", {"service_name": "广州示例服务有限公司"}),
        organisation_name="广州示例服务有限公司",
    )
    assert not form.is_valid()
    assert (
        "申报服务应填写企业的专项服务名称（不是企业的服务机构）" in form.errors["service_name"][0]
    )


# --- plain decimals, upper bounds, years, the required mark ---------------------------------


@pytest.mark.parametrize("typed", ["1e99", "1E5", "Infinity", "-inf", "0x10", "1.2.3"])
def test_numbers_are_plain_decimals_only(typed):
    assert check("product", {"forex": typed}) == {"forex": "「创汇」应为数字，例如 1234.56"}


def test_plain_decimals_with_commas_and_four_places_pass():
    assert check("product", {"forex": "1,234.5678"}) == {}


def test_decimals_keep_at_most_four_places():
    assert check("product", {"forex": "12.34567"}) == {"forex": "「创汇」最多保留 4 位小数"}


def test_ten_thousand_yuan_fields_stop_at_one_trillion_yuan():
    assert check("product", {"forex": "100000000"}) == {}
    assert check("product", {"forex": "100000000.01"}) == {
        "forex": "「创汇」不能超过 100000000万元，请核对数字和单位"
    }


def test_counts_have_an_upper_bound_too():
    assert check("product", {"service_staff": 10**7 + 1}) == {
        "service_staff": "「售后服务职工人数」不能超过 10000000人，请核对数字和单位"
    }


def test_a_decimal_stored_as_an_exponent_is_refused():
    assert check("product", {"forex": Decimal("1E+99")}) == {
        "forex": "「创汇」不能超过 100000000万元，请核对数字和单位"
    }


def test_the_built_form_refuses_scientific_notation_and_stores_nothing_of_it():
    form_class = build_form_class(form_spec("product"), chosen_trades=set())

    form = form_class(post_data("product", {"forex": "1e99"}))

    assert not form.is_valid()
    assert form.errors["forex"] == ["「创汇」应为数字，例如 1234.56"]


def test_the_built_form_shows_the_bound_to_the_browser():
    form = build_form_class(form_spec("product"), chosen_trades=set())()

    assert form.fields["forex"].widget.attrs["max"] == 10**8


@pytest.mark.parametrize("typed", ["去年", "2015、去年", "15", "2019", "1948", "二〇一五"])
def test_years_obtained_are_years(typed):
    assert check("confirmation", {"titles_years": typed}) == {
        "titles_years": "「获得年份」应填写年份，多个年份用“、”分隔，例如 2015、2016"
    }


@pytest.mark.parametrize("typed", ["2015", "2015、2016", "2015年，2017年", "２０１６ 2017"])
def test_years_obtained_may_be_listed_as_typed(typed):
    assert check("confirmation", {"titles_years": typed}) == {}


def test_years_obtained_are_checked_on_the_enterprise_form_too():
    assert "titles_years" in check("enterprise", {"titles_years": "去年"})


@pytest.mark.parametrize("typed", ["５１０１１０", "510 110"])
def test_postcodes_follow_the_one_rule(typed):
    assert check("product", {"postcode": typed}) == {}


def _label_html(html: str, field_id: str) -> str:
    start = html.index(f'for="{field_id}"')
    return html[start : html.index("</div>", start)]


@pytest.mark.parametrize(
    ("code", "key"),
    [("product", "product_name"), ("product", "product_model"), ("engineering", "project_name")],
)
def test_fields_that_may_never_be_empty_carry_the_required_mark(code, key):
    form = build_form_class(form_spec(code), chosen_trades=set())()

    html = render_to_string("applications/_fieldsets.html", {"form": form})

    assert 'class="required-mark"' in _label_html(html, f"id_{key}")
    assert 'aria-required="true"' in str(form[key])


def test_fields_that_take_a_reason_carry_no_required_mark():
    form = build_form_class(form_spec("product"), chosen_trades=set())()

    html = render_to_string("applications/_fieldsets.html", {"form": form})

    assert 'class="required-mark"' not in _label_html(html, "id_trademark")
