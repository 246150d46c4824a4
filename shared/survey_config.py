"""The `survey:` section of config.yaml: the IKM questionnaire and where it is offered."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from shared.domain.ikm import DEFAULT_ELEMENTS, Element


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ElementConfig(_Model):
    """One unsur's wording; the code and order are the regulation's and stay fixed."""

    code: str = Field(pattern=r"^U[1-9]$")
    question: str = Field(min_length=1, max_length=300)
    # The four answers for scores 1, 2, 3, 4, in that order.
    answers: tuple[str, str, str, str]


class SurveyConfig(_Model):
    enabled: bool = True
    # Elements whose wording the office changes; the others keep the regulation's text.
    elements: tuple[ElementConfig, ...] = ()
    # After "Selesai", show "Silakan isi survei" with the number: on the TV, the tablet, both.
    prompt_after_finish: Literal["off", "tv", "tablet", "both"] = "off"
    # Show the last closed semester's IKM on the TV's running text and on the kiosk.
    publish: bool = False
    # The tablet starts over after this long without a touch.
    tablet_idle_seconds: int = Field(default=60, ge=15, le=600)

    @model_validator(mode="after")
    def _known_codes(self) -> SurveyConfig:
        codes = [e.code for e in self.elements]
        if len(codes) != len(set(codes)):
            raise ValueError("survey.elements lists a code twice; give each of U1-U9 once")
        return self

    def questionnaire(self) -> tuple[Element, ...]:
        """The nine elements with the office's wording where it gave one."""
        changed = {e.code: e for e in self.elements}
        return tuple(
            Element(d.code, d.name, changed[d.code].question, changed[d.code].answers)
            if d.code in changed
            else d
            for d in DEFAULT_ELEMENTS
        )
