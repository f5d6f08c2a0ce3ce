"""The seed's own words about the materials: every applicant may repeat them without copying."""

from django.utils import translation

from manyi.applications.forms.specs import (
    APPLICATION_CODES,
    MATERIALS,
    MATERIALS_CLOSING,
    MATERIALS_GUIDANCE,
    MATERIALS_TITLE,
    TEN_POINTS,
    form_spec,
)

# The four texts, as the application's fields and the section names of flags and signatures.
SECTIONS = tuple(material.key for material in MATERIALS)


def section_title(key: str, category: str) -> str:
    """The material's title as the application's form prints it ("" for none)."""
    for material in MATERIALS:
        if material.key == key:
            return material.title_for(category)
    return ""


def boilerplate_texts() -> list[str]:
    """The titles, the guidance and the ten points as each form prints them (in Chinese,
    whatever language the worker runs in), also the ten points one after another without
    their numbers, as applicants use them for headings."""
    texts = [MATERIALS_TITLE, MATERIALS_GUIDANCE, MATERIALS_CLOSING, *TEN_POINTS]
    texts.append("".join(TEN_POINTS))
    texts.append("、".join(TEN_POINTS))
    with translation.override("zh-hans"):
        for code in APPLICATION_CODES:
            spec = form_spec(code)
            texts += [str(spec.materials_title), str(spec.materials_guidance)]
            for material in spec.materials:
                texts += [material.title_for(code), material.printed_for(code)]
    return list(dict.fromkeys(t for t in texts if t))
