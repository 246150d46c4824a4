"""The complaints register's rules: states one way only, numbers, the working-day target."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shared.domain.complaints import (
    PUBLIC_CHANNEL,
    STATE_ORDER,
    CloseComplaint,
    ComplaintClosed,
    ComplaintNotFound,
    ComplaintPolicy,
    ComplaintRegister,
    ComplaintState,
    FollowUpComplaint,
    ForwardComplaint,
    InvalidComplaint,
    ReceiveComplaint,
    WrongComplaintState,
    answered_within_target,
    clean_contact,
    complaint_event_from_data,
    decide_complaint,
    due_date,
    is_overdue,
    work_list,
    working_days_to_answer,
)

POLICY = ComplaintPolicy(
    timezone="Asia/Jakarta",
    channels=("Telepon dinas", "Surat", "Kotak saran"),
    response_days=5,
)
MONDAY = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)  # 08:00 WIB, Monday 23 November 2026
SUPERVISORS = ("kasi", "kabid")


class Office:
    """A register and the commands run against it, with ids and tokens counted up."""

    def __init__(self, policy: ComplaintPolicy = POLICY) -> None:
        self.policy = policy
        self.register = ComplaintRegister()
        self._ids = itertools.count(1)

    def run(self, command, now: datetime = MONDAY):
        events = decide_complaint(
            self.register,
            self.policy,
            command,
            now,
            new_id=lambda: f"c{next(self._ids)}",
            new_token=lambda: f"token-{next(self._ids):020d}",
            supervisors=SUPERVISORS,
        )
        self.register = self.register.after(events)
        return events

    def file(self, text: str = "Antrean terlalu lama hari ini", now: datetime = MONDAY, **extra):
        fields = {"kind": "pengaduan", "category": "Waktu pelayanan", "channel": PUBLIC_CHANNEL}
        (event,) = self.run(ReceiveComplaint(text=text, **{**fields, **extra}), now)
        return self.register.complaints[event.complaint_id]

    def through(self, complaint, state: ComplaintState, now: datetime = MONDAY):
        steps = {
            ComplaintState.FORWARDED: ForwardComplaint(complaint.id, "kasi", "kabid"),
            ComplaintState.FOLLOWED_UP: FollowUpComplaint(complaint.id, "kabid", "Petugas ditegur"),
            ComplaintState.CLOSED: CloseComplaint(
                complaint.id, "kabid", "Mohon maaf, sudah kami perbaiki"
            ),
        }
        for step in STATE_ORDER[1 : STATE_ORDER.index(state) + 1]:
            self.run(steps[step], now)
        return self.register.complaints[complaint.id]


def test_a_complaint_goes_through_every_state_with_who_and_when():
    office = Office()
    complaint = office.file()
    assert complaint.number == "PGD-2026-0001"
    assert complaint.state is ComplaintState.RECEIVED
    assert complaint.received_on == date(2026, 11, 23)
    later = MONDAY + timedelta(days=1)
    office.run(ForwardComplaint(complaint.id, "kasi", "kabid"), later)
    office.run(
        FollowUpComplaint(complaint.id, "kabid", "  Petugas loket 2 sudah ditegur.\r\n"), later
    )
    office.run(CloseComplaint(complaint.id, "kabid", "Mohon maaf atas pelayanan kami."), later)
    done = office.register.complaints[complaint.id]
    assert [(t.state, t.by) for t in done.history] == [
        (ComplaintState.RECEIVED, None),  # filed by the complainant
        (ComplaintState.FORWARDED, "kasi"),
        (ComplaintState.FOLLOWED_UP, "kabid"),
        (ComplaintState.CLOSED, "kabid"),
    ]
    assert done.forwarded_to == "kabid"
    assert done.follow_up == "Petugas loket 2 sudah ditegur."  # trimmed, line ends made \n
    assert done.answer == "Mohon maaf atas pelayanan kami."
    assert done.closed_at == later
    assert done.is_closed


@pytest.mark.parametrize(
    ("state", "command", "message"),
    [
        (ComplaintState.RECEIVED, "follow_up", "masih berstatus diterima: teruskan dulu"),
        (ComplaintState.RECEIVED, "close", "masih berstatus diterima"),
        (ComplaintState.FORWARDED, "forward", "sudah diteruskan oleh kasi"),
        (ComplaintState.FORWARDED, "close", "tulis dulu tindak lanjutnya"),
        (ComplaintState.FOLLOWED_UP, "follow_up", "sudah ditindaklanjuti oleh kabid"),
        (ComplaintState.CLOSED, "close", "sudah selesai: dijawab oleh kabid pada 23 November 2026"),
        (ComplaintState.CLOSED, "forward", "sudah selesai"),
    ],
)
def test_illegal_transitions_are_refused_with_the_reason(state, command, message):
    office = Office()
    complaint = office.through(office.file(), state)
    commands = {
        "forward": ForwardComplaint(complaint.id, "kasi", "kabid"),
        "follow_up": FollowUpComplaint(complaint.id, "kabid", "tindak lanjut"),
        "close": CloseComplaint(complaint.id, "kabid", "jawaban kantor"),
    }
    version = office.register.version
    with pytest.raises(WrongComplaintState, match=message):
        office.run(commands[command])
    assert office.register.version == version


def test_forwarding_needs_a_named_supervisor():
    office = Office()
    complaint = office.file()
    with pytest.raises(InvalidComplaint, match="bukan penanggung jawab"):
        office.run(ForwardComplaint(complaint.id, "kasi", "budi"))  # an officer, not on the list
    with pytest.raises(InvalidComplaint, match="bukan penanggung jawab"):
        office.run(ForwardComplaint(complaint.id, "kasi", ""))


def test_an_unknown_complaint_is_not_found_and_a_number_finds_it():
    office = Office()
    complaint = office.file()
    with pytest.raises(ComplaintNotFound, match="'PGD-2026-9999' tidak ditemukan"):
        office.run(ForwardComplaint("PGD-2026-9999", "kasi", "kabid"))
    office.run(ForwardComplaint(" pgd-2026-0001", "kasi", "kabid"))  # as typed
    assert office.register.complaints[complaint.id].state is ComplaintState.FORWARDED


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Isi pengaduan belum diisi"),
        ("   \n  ", "Isi pengaduan belum diisi"),
        ("lama", "terlalu pendek \\(minimal 10 karakter\\)"),
        ("a" * 10_000, "terlalu panjang: 10.000 karakter, maksimal 2.000"),
        ("antrean\x00 lama sekali", "karakter yang tidak dapat disimpan"),
        ("antrean \ud800 lama sekali", "karakter yang tidak dapat disimpan"),
        (None, "harus berupa teks"),
        (["antrean lama sekali"], "harus berupa teks"),
    ],
)
def test_bad_text_is_refused_and_nothing_is_decided(text, message):
    office = Office()
    with pytest.raises(InvalidComplaint, match=message):
        office.file(text=text)
    assert office.register.version == 0


def test_html_is_kept_as_typed_text():
    office = Office()
    complaint = office.file(text="<script>alert(1)</script> petugas <b>kasar</b>")
    assert complaint.text == "<script>alert(1)</script> petugas <b>kasar</b>"


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"kind": "pujian"}, "Pilih jenis"),
        ({"category": "Tidak ada"}, "Pilih kategori"),
        ({"channel": "Surat"}, "formulir daring tercatat lewat Aplikasi"),  # public, not staff
        ({"anonymous": True, "has_contact": True}, "anonim.*tidak dapat disertai kontak"),
        ({"anonymous": True, "visit_number": "A-001"}, "anonim tidak dikaitkan"),
    ],
)
def test_bad_public_fields_are_refused(extra, message):
    with pytest.raises(InvalidComplaint, match=message):
        Office().file(**extra)


def test_staff_record_other_channels_with_the_date_received():
    office = Office()
    complaint = office.file(channel="Surat", recorded_by="budi", received_on=date(2026, 11, 20))
    assert (complaint.channel, complaint.recorded_by) == ("Surat", "budi")
    assert complaint.received_on == date(2026, 11, 20)
    assert complaint.history[0].by == "budi"
    with pytest.raises(InvalidComplaint, match="saluran"):
        office.file(channel=PUBLIC_CHANNEL, recorded_by="budi")
    with pytest.raises(InvalidComplaint, match="tidak boleh setelah hari ini"):
        office.file(channel="Surat", recorded_by="budi", received_on=date(2026, 11, 24))
    with pytest.raises(InvalidComplaint, match="lebih dari setahun"):
        office.file(channel="Surat", recorded_by="budi", received_on=date(2025, 11, 1))


def test_numbers_run_per_year_without_gaps_and_restart_in_january():
    office = Office()
    numbers = [office.file().number for _ in range(3)]
    new_year = datetime(2026, 12, 31, 17, 30, tzinfo=UTC)  # 00:30 WIB on 1 January 2027
    numbers += [office.file(now=new_year).number for _ in range(2)]
    assert numbers == [
        "PGD-2026-0001",
        "PGD-2026-0002",
        "PGD-2026-0003",
        "PGD-2027-0001",
        "PGD-2027-0002",
    ]


def test_a_repeated_submit_files_nothing_new():
    office = Office()
    office.file(request_id="form-1")
    assert (
        office.run(
            ReceiveComplaint(
                "pengaduan",
                "Waktu pelayanan",
                PUBLIC_CHANNEL,
                "lagi sekali lagi",
                request_id="form-1",
            )
        )
        == []
    )
    assert len(office.register.complaints) == 1


def test_the_tracking_token_is_separate_from_the_number_and_finds_only_its_complaint():
    office = Office()
    first, second = office.file(), office.file()
    assert first.tracking_token != second.tracking_token
    assert first.number not in first.tracking_token
    assert office.register.by_tracking_token(first.tracking_token) == first
    assert office.register.by_tracking_token("token-forged-000000000") is None


def test_events_round_trip_through_their_stored_form():
    office = Office()
    complaint = office.file(channel="Surat", recorded_by="budi", received_on=date(2026, 11, 20))
    events = office.run(ForwardComplaint(complaint.id, "kasi", "kabid"))
    office.run(FollowUpComplaint(complaint.id, "kabid", "ditindaklanjuti"))
    (closed,) = office.run(CloseComplaint(complaint.id, "kabid", "jawaban kantor"))
    for event in [*events, closed]:
        assert complaint_event_from_data(event.type_name, event.to_data()) == event
    assert isinstance(closed, ComplaintClosed)


# ---- the response target in working days --------------------------------------------------


def test_the_due_date_skips_weekends_and_holidays():
    # Received Friday 27 November 2026: 5 working days later is Friday 4 December.
    assert POLICY.add_working_days(date(2026, 11, 27), 5) == date(2026, 12, 4)
    # Received on a Saturday: counting starts on Monday.
    assert POLICY.add_working_days(date(2026, 11, 28), 1) == date(2026, 11, 30)
    with_holiday = ComplaintPolicy(
        "Asia/Jakarta", response_days=5, holidays=frozenset({date(2026, 12, 1)})
    )
    assert with_holiday.add_working_days(date(2026, 11, 27), 5) == date(2026, 12, 7)


@given(
    start=st.dates(date(2025, 1, 1), date(2028, 12, 31)),
    days=st.integers(0, 400),
    holidays=st.sets(st.dates(date(2025, 1, 1), date(2030, 12, 31)), max_size=20),
)
@settings(max_examples=300, deadline=None)
def test_counting_working_days_is_the_inverse_of_adding_them(start, days, holidays):
    policy = ComplaintPolicy("Asia/Jakarta", holidays=frozenset(holidays))
    end = policy.add_working_days(start, days)
    assert policy.working_days_between(start, end) == days
    assert days == 0 or policy.is_working_day(end)


def test_overdue_only_after_the_due_date_and_only_while_open():
    office = Office()
    complaint = office.file()  # Monday 23 November: due Monday 30 November
    assert due_date(complaint, POLICY) == date(2026, 11, 30)
    on_due_day = datetime(2026, 11, 30, 16, 59, tzinfo=UTC)  # 23:59 WIB on the due day
    day_after = datetime(2026, 11, 30, 17, 0, tzinfo=UTC)  # 00:00 WIB, 1 December
    assert not is_overdue(complaint, POLICY, on_due_day)
    assert is_overdue(complaint, POLICY, day_after)
    closed = office.through(complaint, ComplaintState.CLOSED, now=day_after)
    assert not is_overdue(closed, POLICY, day_after + timedelta(days=30))
    assert working_days_to_answer(closed, POLICY) == 6
    assert answered_within_target(closed, POLICY) is False


def test_the_work_list_puts_overdue_first_then_open_by_due_date_then_closed():
    office = Office()
    early = office.file(channel="Surat", recorded_by="budi", received_on=date(2026, 11, 2))
    closed = office.through(office.file(now=MONDAY - timedelta(days=14)), ComplaintState.CLOSED)
    fresh = office.file()
    middle = office.file(channel="Surat", recorded_by="budi", received_on=date(2026, 11, 20))
    order = [c.number for c in work_list(office.register, POLICY, MONDAY)]
    assert order == [early.number, middle.number, fresh.number, closed.number]
    assert is_overdue(early, POLICY, MONDAY) and not is_overdue(middle, POLICY, MONDAY)


@pytest.mark.parametrize(
    ("given_contact", "kept"),
    [
        (None, None),
        ("", None),
        ("   ", None),
        (" 0812-3456 7890 ", "0812-3456 7890"),
        ("siti@contoh.id", "siti@contoh.id"),
    ],
)
def test_a_contact_is_optional_and_kept_on_one_line(given_contact, kept):
    assert clean_contact(given_contact) == kept


@pytest.mark.parametrize(
    ("given_contact", "message"),
    [("08", "terlalu pendek"), ("0" * 121, "terlalu panjang"), (12, "teks")],
)
def test_a_bad_contact_is_refused(given_contact, message):
    with pytest.raises(InvalidComplaint, match=message):
        clean_contact(given_contact)


# ---- properties over random sequences -------------------------------------------------------

ACTORS = st.sampled_from(["kasi", "kabid"])
refs = st.integers(0, 5)


def _command(kind: str, ref: int, who: str):
    complaint = f"c{ref}"
    if kind == "file":
        return ReceiveComplaint("saran", "Lainnya", PUBLIC_CHANNEL, "Mohon tambah kursi tunggu")
    if kind == "forward":
        return ForwardComplaint(complaint, who, "kabid")
    if kind == "follow_up":
        return FollowUpComplaint(complaint, who, "sudah dibahas")
    return CloseComplaint(complaint, who, "kursi sudah ditambah")


commands = st.lists(
    st.tuples(st.sampled_from(["file", "file", "forward", "follow_up", "close"]), refs, ACTORS),
    max_size=40,
)


@given(commands=commands, days=st.lists(st.integers(0, 400), min_size=40, max_size=40))
@settings(max_examples=200, deadline=None)
def test_complaints_move_only_forward_close_once_and_numbers_never_repeat(commands, days):
    office = Office()
    office._ids = itertools.count(0)  # ids c0, c1, ... so random refs hit real complaints
    seen_states: dict[str, list[ComplaintState]] = {}
    for (kind, ref, who), offset in zip(commands, days, strict=False):
        now = MONDAY + timedelta(days=offset)
        try:
            office.run(_command(kind, ref * 2, who), now)  # ids go c0 (token c1), c2 ...
        except (WrongComplaintState, ComplaintNotFound):
            pass
        for complaint in office.register.complaints.values():
            seen_states.setdefault(complaint.id, []).append(complaint.state)
    for complaint in office.register.complaints.values():
        states = [t.state for t in complaint.history]
        assert states == list(STATE_ORDER[: len(states)])  # one step at a time, in order
        assert states.count(ComplaintState.CLOSED) <= 1
        order = [STATE_ORDER.index(s) for s in seen_states[complaint.id]]
        assert order == sorted(order)  # never back
    numbers = [c.number for c in office.register.complaints.values()]
    assert len(numbers) == len(set(numbers))
    per_year: dict[int, list[int]] = {}
    for complaint in office.register.complaints.values():
        per_year.setdefault(complaint.year, []).append(complaint.seq)
    for seqs in per_year.values():
        assert sorted(seqs) == list(range(1, len(seqs) + 1))  # no gaps


def test_the_office_calendar_holidays_move_the_due_date():
    from pathlib import Path

    from shared.complaint_service import complaint_policy
    from shared.config import HolidayConfig, load_settings

    settings = load_settings(Path(__file__).resolve().parents[2] / "config.yaml")
    natal = HolidayConfig(date=date(2026, 12, 25), name="Hari Raya Natal")
    office = settings.office.model_copy(update={"holidays": (natal,)})
    policy = complaint_policy(settings.model_copy(update={"office": office}))
    assert policy.holidays == frozenset({date(2026, 12, 25)})
    assert policy.response_days == 5
    assert "Kotak saran" in policy.channels and "Surat" in policy.channels
    # Received Monday 21 December: 22, 23, 24, (25 is Natal, 26-27 a weekend) 28, 29.
    assert policy.add_working_days(date(2026, 12, 21), 5) == date(2026, 12, 29)
