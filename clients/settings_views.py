"""Office configuration owned by the clients app: offence categories and the stage rule."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from bapas.access import require_office_admin
from bapas.concurrency import FingerprintedForm, save_unless_changed

from . import services
from .models import OffenceCategory, StageRule


class OffenceCategoryForm(FingerprintedForm):
    class Meta:
        model = OffenceCategory
        fields = ["name", "active"]

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        clash = OffenceCategory.objects.filter(office_id=self.instance.office_id, name__iexact=name).exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(_("Kategori dengan nama ini sudah ada."))
        return name


class StageRuleForm(FingerprintedForm):
    class Meta:
        model = StageRule
        fields = ["middle_from_percent", "final_from_percent"]

    def clean(self):
        data = super().clean()
        middle, final = data.get("middle_from_percent"), data.get("final_from_percent")
        if middle is not None and final is not None and not 0 < middle < final < 100:
            raise forms.ValidationError(_("Batas harus naik: 0 < tahap lanjutan < tahap akhir < 100."))
        return data


@login_required
@require_http_methods(["GET", "POST"])
def offence_categories(request: HttpRequest) -> HttpResponse:
    require_office_admin(request.user)
    office_id = request.user.office_id
    form = OffenceCategoryForm(request.POST or None, instance=OffenceCategory(office_id=office_id))
    if request.method == "POST" and form.is_valid():
        services.offence_category_save(by=request.user, category=form.instance, created=True)
        messages.success(request, _("Kategori ditambahkan."))
        return redirect("clients_settings:offence_categories")
    categories = OffenceCategory.objects.filter(office_id=office_id).order_by("-active", "name")
    return render(request, "clients/settings/offence_categories.html", {"form": form, "categories": categories})


@login_required
@require_http_methods(["GET", "POST"])
def offence_category_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require_office_admin(request.user)
    category = get_object_or_404(OffenceCategory, pk=pk, office_id=request.user.office_id)
    form = OffenceCategoryForm(request.POST or None, instance=category)
    status = 200
    if request.method == "POST" and form.is_valid():
        status = save_unless_changed(form, lambda: services.offence_category_save(by=request.user, category=form.instance, created=False))
        if status is None:
            messages.success(request, _("Kategori disimpan."))
            return redirect("clients_settings:offence_categories")
    return render(request, "clients/settings/offence_category_form.html", {"form": form, "category": category}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def stage_rule(request: HttpRequest) -> HttpResponse:
    require_office_admin(request.user)
    rule, _created = StageRule.objects.get_or_create(office_id=request.user.office_id)
    form = StageRuleForm(request.POST or None, instance=rule)
    status = 200
    if request.method == "POST" and form.is_valid():
        status = save_unless_changed(form, lambda: services.stage_rule_update(by=request.user, rule=form.instance))
        if status is None:
            messages.success(request, _("Aturan tahap disimpan; %(n)s pembimbingan aktif diperbarui.") % {"n": form.saved})
            return redirect("bapas:settings")
    return render(request, "clients/settings/stage_rule.html", {"form": form}, status=status)
