from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bapas import tpp
from bapas.models import CASEWORKER_ROLES, User

from .models import (
    Client,
    ClosureReason,
    Contact,
    DocumentKind,
    OffenceCategory,
    RecidivismEvent,
    Supervision,
    Violation,
)
from .validators import nik_mismatches

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
TEXT = forms.Textarea(attrs={"rows": 3})
DEFAULT_GENERAL_CONDITIONS = gettext_lazy(
    "Tidak melakukan tindak pidana; wajib lapor sesuai jadwal; melapor bila pindah alamat; mengikuti program bimbingan."
)


class VersionedForm(forms.ModelForm):
    """Carries the version the user started editing from; the service refuses a stale one."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expected_version"].initial = self.instance.version


# What a list says when a link names a PK its officer filter does not list (moved away, no longer
# active): the filter is left out, so the list shows every PK's.
NOT_A_LISTED_OFFICER = {"invalid_choice": gettext_lazy("PK ini tidak lagi aktif di kantor ini; daftar menampilkan semua PK.")}


def caseworkers_of(office_id):
    return User.objects.filter(office_id=office_id, role__in=CASEWORKER_ROLES, is_active=True).order_by(
        "first_name", "username"
    )


class ClientForm(VersionedForm):
    confirm_nik_mismatch = forms.BooleanField(
        label=gettext_lazy("Saya sudah memeriksa KTP: NIK dan data di formulir benar."), required=False
    )

    class Meta:
        model = Client
        fields = [
            "full_name", "aliases", "nik", "passport_number", "nationality", "birth_place", "birth_date", "sex",
            "religion", "education", "marital_status", "occupation", "address", "rt", "rw", "kelurahan",
            "kecamatan", "kabupaten_kota", "provinsi", "phone", "whatsapp", "register_number",
            "origin_institution", "sdp_id", "guarantor_name", "guarantor_relation", "guarantor_phone",
            "guarantor_address",
        ]
        widgets = {"birth_date": DATE}

    def __init__(self, *args, office=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.office = office
        self.registered_elsewhere = False
        self.fields["nik"].widget.attrs.update({"inputmode": "numeric", "maxlength": 16, "autocomplete": "off"})
        self.fields["nik"].help_text = _("16 angka sesuai KTP. Kosongkan hanya untuk WNA, lalu isi paspor.")

    def clean_nik(self):
        nik = (self.cleaned_data.get("nik") or "").strip() or None
        if nik is None:
            return None
        existing = Client.objects.filter(nik=nik).exclude(pk=self.instance.pk).values("office_id").first()
        if existing is None:
            return nik
        if existing["office_id"] == self.office.pk:
            raise forms.ValidationError(
                _("NIK ini sudah terdaftar sebagai klien kantor ini. Cari klien tersebut atau hubungi Kasi/Kasubsi."),
                code="nik_taken_here",
            )
        # Say nothing about where or who: personal data of another office stays there.
        self.registered_elsewhere = True
        raise forms.ValidationError(
            _("Orang dengan NIK ini terdaftar di Bapas lain. Kasi/Kasubsi perlu mengajukan permintaan pemindahan."),
            code="nik_registered_elsewhere",
        )

    def clean_register_number(self):
        number = self.cleaned_data["register_number"].strip()
        clash = Client.objects.filter(office=self.office, register_number=number).exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(_("Nomor register ini sudah dipakai di kantor ini."))
        return number

    def clean(self):
        data = super().clean()
        nik = data.get("nik")
        if nik and not self.errors.get("nik"):
            problems = nik_mismatches(nik, data.get("birth_date"), data.get("sex"))
            if problems and not data.get("confirm_nik_mismatch"):
                self.nik_warnings = problems
                raise forms.ValidationError(
                    " ".join(problems) + " " + _("Periksa kembali KTP, lalu centang konfirmasi bila data sudah benar."),
                    code="nik_mismatch",
                )
        return data

    def _post_clean(self):
        self.instance.office = self.office
        super()._post_clean()


class SupervisionForm(VersionedForm):
    class Meta:
        model = Supervision
        fields = [
            "legal_basis", "decree_number", "decree_date", "decree_issuer", "offence_article", "offence_category",
            "sentence", "start_date", "end_date", "general_conditions", "special_conditions",
            "reporting_interval_days", "community_service_hours", "officer", "stage_override", "stage_override_note",
            "stage_override_on",
        ]
        widgets = {
            "decree_date": DATE,
            "start_date": DATE,
            "end_date": DATE,
            "stage_override_on": DATE,
            "general_conditions": TEXT,
            "special_conditions": TEXT,
        }

    def __init__(self, *args, office=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.office = office
        self.fields["offence_category"].queryset = OffenceCategory.objects.filter(office=office, active=True)
        self.fields["officer"].queryset = caseworkers_of(office.pk)
        if self.instance.pk is None:
            self.fields["general_conditions"].initial = DEFAULT_GENERAL_CONDITIONS
            self.fields.pop("stage_override")
            self.fields.pop("stage_override_note")
            self.fields.pop("stage_override_on")
            if user is not None and user.is_caseworker:
                self.fields["officer"].initial = user.pk
        else:
            # Reassignment has its own action, with a reason kept in history.
            self.fields.pop("officer")


class ContactForm(forms.ModelForm):
    class Meta:
        model = Contact
        fields = ["kind", "occurred_at", "attended", "notes", "next_appointment"]
        widgets = {"occurred_at": DATETIME, "next_appointment": DATE, "notes": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, supervision=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.supervision = supervision
        self.fields["occurred_at"].initial = timezone.localtime().strftime("%Y-%m-%dT%H:%M")


class ContactCorrectForm(VersionedForm):
    """Corrects an entry of the progress record; the reason is required and shown beside it."""

    reason = forms.CharField(label=gettext_lazy("Alasan koreksi"), max_length=200,
                             help_text=gettext_lazy("Misalnya: salah tanggal, salah jenis kontak, catatan kurang lengkap."))

    class Meta:
        model = Contact
        fields = ["kind", "occurred_at", "attended", "notes", "next_appointment"]
        widgets = ContactForm.Meta.widgets


class DeleteForm(forms.Form):
    """Deletes a record entered by mistake, with a reason (`example` says what kind, under the field);
    carries the version the page showed, so a record changed since is not deleted blind."""

    reason = forms.CharField(label=gettext_lazy("Alasan penghapusan"), max_length=200)
    expected_version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, example: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].help_text = example


class ViolationForm(VersionedForm):
    class Meta:
        model = Violation
        fields = ["kind", "occurred_on", "description", "action", "action_notes", "status"]
        widgets = {"occurred_on": DATE, "description": TEXT, "action_notes": TEXT}

    def __init__(self, *args, supervision=None, **kwargs):
        super().__init__(*args, **kwargs)
        if supervision is not None:
            self.instance.supervision = supervision


class RecidivismEventForm(VersionedForm):
    class Meta:
        model = RecidivismEvent
        fields = ["kind", "event_date", "source", "description", "verified"]
        widgets = {"event_date": DATE, "description": TEXT}

    def __init__(self, *args, client=None, **kwargs):
        super().__init__(*args, **kwargs)
        if client is not None:
            self.instance.client = client


class AssignForm(forms.Form):
    officer = forms.ModelChoiceField(label=gettext_lazy("PK baru"), queryset=User.objects.none())
    reason = forms.CharField(label=gettext_lazy("Alasan"), max_length=200)

    def __init__(self, *args, supervision=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = caseworkers_of(supervision.office_id).exclude(pk=supervision.officer_id)


class DelegateForm(forms.Form):
    delegate = forms.ModelChoiceField(
        label=gettext_lazy("Delegasikan kepada"), queryset=User.objects.none(), required=False,
        help_text=gettext_lazy("Kosongkan untuk mengakhiri delegasi."),
    )
    until = forms.DateField(label=gettext_lazy("Sampai tanggal"), widget=DATE, required=False)

    def __init__(self, *args, supervision=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["delegate"].queryset = caseworkers_of(supervision.office_id).exclude(pk=supervision.officer_id)
        self.fields["delegate"].initial = supervision.delegate_id
        self.fields["until"].initial = supervision.delegated_until

    def clean(self):
        data = super().clean()
        if data.get("delegate") is not None:
            until = data.get("until")
            if until is None:
                self.add_error("until", _("Isi tanggal berakhirnya delegasi."))
            elif until < timezone.localdate():
                self.add_error("until", _("Tanggal berakhir delegasi tidak boleh di masa lalu."))
        return data


class CloseForm(forms.Form):
    closed_on = forms.DateField(label=gettext_lazy("Tanggal pengakhiran"), widget=DATE)
    reason = forms.ChoiceField(label=gettext_lazy("Alasan pengakhiran"), choices=ClosureReason.choices)
    confirm = forms.BooleanField(label=gettext_lazy("Saya yakin pembimbingan ini diakhiri."))


class ReopenForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Alasan membuka kembali"), max_length=200,
                             help_text=gettext_lazy("Misalnya: diakhiri pada klien yang salah."))
    # The version the page was opened at: a supervision changed since (reopened, edited) is not reopened blind.
    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)


ALLOWED_UPLOADS = {
    "application/pdf": (b"%PDF-",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
}


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Jenis dokumen"), choices=DocumentKind.choices)
    upload = forms.FileField(label=gettext_lazy("Berkas (PDF, JPEG atau PNG)"))

    def clean_upload(self):
        upload = self.cleaned_data["upload"]
        limit = settings.DOCUMENT_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _("Berkas terlalu besar (%(size)s MB); batasnya %(limit)s MB.")
                % {"size": round(upload.size / 1048576, 1), "limit": round(limit / 1048576, 1)}
            )
        head = upload.read(16)
        upload.seek(0)
        # Trust the bytes, not the name or the browser's claim.
        for content_type, signatures in ALLOWED_UPLOADS.items():
            if any(head.startswith(sig) for sig in signatures):
                upload.content_type = content_type
                return upload
        raise forms.ValidationError(_("Jenis berkas tidak diizinkan. Unggah PDF, JPEG atau PNG."))


class DocumentWithdrawForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Alasan penarikan"), max_length=200,
                             help_text=gettext_lazy("Misalnya: salah klien, salah berkas, berkas tidak terbaca."))


class ImportUploadForm(forms.Form):
    upload = forms.FileField(label=gettext_lazy("Berkas XLSX atau CSV"))

    def clean_upload(self):
        upload = self.cleaned_data["upload"]
        limit = settings.IMPORT_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(_("Berkas terlalu besar (%(size)s MB); batasnya %(limit)s MB.")
                                        % {"size": round(upload.size / 1048576, 1), "limit": round(limit / 1048576, 1)})
        name = upload.name.lower()
        head = upload.read(4096)
        upload.seek(0)
        # Trust the bytes as well as the name: an XLSX is a zip archive, a CSV is UTF-8 text.
        if name.endswith(".xlsx") and head.startswith(b"PK\x03\x04"):
            return upload
        if name.endswith(".csv") and b"\x00" not in head:
            try:
                head.decode("utf-8-sig")
            except UnicodeDecodeError:
                # The 4 KiB may cut a character in two; only a clear failure refuses.
                if len(head) < 4096:
                    raise forms.ValidationError(_("Berkas CSV harus disimpan dengan pengodean UTF-8.")) from None
            return upload
        raise forms.ValidationError(_("Jenis berkas tidak diizinkan. Unggah XLSX atau CSV (templat tersedia di halaman ini)."))


# ---------------------------------------------------------------- revocation (pencabutan), one form a step

YES_NO = [("yes", gettext_lazy("Ya")), ("no", gettext_lazy("Tidak"))]


def tpp_fields(*, required: bool = True) -> tuple[forms.DateField, forms.CharField]:
    """The sidang TPP's date and number as every decision form asks for them (bapas.tpp carries them
    from the agenda): `tpp_date, tpp_number = tpp_fields()` in the form's body."""
    return (forms.DateField(label=gettext_lazy("Tanggal sidang TPP"), widget=DATE, required=required),
            forms.CharField(label=gettext_lazy("Nomor sidang TPP"), max_length=tpp.MAX_NUMBER, required=required))


class RevocationStartForm(forms.Form):
    report_number = forms.CharField(label=gettext_lazy("Nomor berita acara"), max_length=100)
    report_date = forms.DateField(label=gettext_lazy("Tanggal berita acara"), widget=DATE)


class _RevocationStepForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class RevocationTppForm(_RevocationStepForm):
    tpp_date, tpp_number = tpp_fields()
    recommends = forms.ChoiceField(label=gettext_lazy("TPP merekomendasikan pencabutan?"), choices=YES_NO, widget=forms.RadioSelect)
    notes = forms.CharField(label=gettext_lazy("Catatan sidang TPP"), required=False, widget=TEXT)


class RevocationSuspendForm(_RevocationStepForm):
    suspended_on = forms.DateField(label=gettext_lazy("Tanggal pencabutan sementara"), widget=DATE)
    suspension_number = forms.CharField(label=gettext_lazy("Nomor keputusan Kabapas"), max_length=100)


class RevocationSendForm(_RevocationStepForm):
    sent_on = forms.DateField(label=gettext_lazy("Tanggal pengusulan"), widget=DATE)
    sent_letter_number = forms.CharField(label=gettext_lazy("Nomor surat usulan"), max_length=100)
    sent_to = forms.CharField(label=gettext_lazy("Diusulkan kepada"), max_length=200, initial=gettext_lazy("Kepala Kantor Wilayah"))


class RevocationDecideForm(_RevocationStepForm):
    decided_on = forms.DateField(label=gettext_lazy("Tanggal keputusan"), widget=DATE)
    decision_number = forms.CharField(label=gettext_lazy("Nomor keputusan"), max_length=100)
    revoked = forms.ChoiceField(label=gettext_lazy("Pembebasan/cuti dicabut?"), choices=YES_NO, widget=forms.RadioSelect)


class _InCourtWords:
    """A court's sentence: a release's step in the words of its path (the jaksa, the court's decision).
    The fields and their rules stay the release form's; only what they are called, and the send
    step's addressee, differ."""

    labels: dict = {}
    initials: dict = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label in self.labels.items():
            self.fields[name].label = label
        for name, value in self.initials.items():
            self.fields[name].initial = value


class RevocationCourtSendForm(_InCourtWords, RevocationSendForm):
    labels = {"sent_on": gettext_lazy("Tanggal surat pertimbangan"), "sent_letter_number": gettext_lazy("Nomor surat pertimbangan"),
              "sent_to": gettext_lazy("Dikirim kepada")}
    initials = {"sent_to": gettext_lazy("Kepala Kejaksaan Negeri")}


class RevocationCourtDecideForm(_InCourtWords, RevocationDecideForm):
    labels = {"decided_on": gettext_lazy("Tanggal putusan pengadilan"), "decision_number": gettext_lazy("Nomor putusan"),
              "revoked": gettext_lazy("Pengadilan mencabut pidana ini?")}


class TransferRequestForm(forms.Form):
    """Asks another Bapas for the file of a client registered there (found by NIK)."""

    nik = forms.CharField(label=gettext_lazy("NIK klien"), max_length=16, min_length=16,
                          widget=forms.TextInput(attrs={"inputmode": "numeric", "maxlength": 16, "autocomplete": "off"}))
    register_number = forms.CharField(label=gettext_lazy("Nomor register di kantor ini"), max_length=50,
                                      help_text=gettext_lazy("Nomor yang diberikan kantor ini bila pemindahan diterima."))
    reason = forms.CharField(label=gettext_lazy("Alasan pemindahan"), widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=gettext_lazy("Misalnya: klien pindah domisili ke wilayah kantor ini; pembimbingan baru "
                                                    "berdasarkan putusan Pengadilan Negeri setempat."))


class TransferDecideForm(forms.Form):
    accept = forms.TypedChoiceField(
        label=gettext_lazy("Keputusan"), widget=forms.RadioSelect, coerce=lambda value: value == "1",
        choices=[("1", gettext_lazy("Terima: berkas klien dipindahkan")), ("0", gettext_lazy("Tolak"))])
    note = forms.CharField(label=gettext_lazy("Catatan"), max_length=300, required=False,
                           help_text=gettext_lazy("Wajib bila ditolak, misalnya: klien masih menjalani pembimbingan di sini."))
