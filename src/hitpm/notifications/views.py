"""The notifications page, marking read, and e-mail preferences."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from hitpm.core.services import save_validated
from hitpm.core.views import SignedInRequest, posted
from hitpm.notifications.models import Notification, Preference
from hitpm.notifications.services import mark_read, preference_for, unread

SHOWN = 100


class PreferenceForm(forms.ModelForm):
    class Meta:
        model = Preference
        fields = ("email_actions", "email_communications", "email_mentions")


@login_required
@require_http_methods(["GET", "POST"])
def inbox(request: SignedInRequest) -> HttpResponse:
    """Newest notifications first, and the e-mail preferences form."""
    preference = preference_for(request.user)
    form = PreferenceForm(posted(request), instance=preference)
    if request.method == "POST" and form.is_valid():
        save_validated(form.instance)
        messages.success(request, "Notification preferences saved.")
        return redirect("notifications:inbox")
    notes = Notification.objects.filter(user=request.user).select_related("project")
    context = {"notifications": notes[:SHOWN], "form": form}
    return render(request, "notifications/inbox.html", context)


@login_required
def count(request: SignedInRequest) -> HttpResponse:
    """The bell's unread count, fetched by HTMX after the page loads."""
    return render(request, "notifications/_count.html", {"count": unread(request.user).count()})


@login_required
@require_POST
def read(request: SignedInRequest) -> HttpResponse:
    """Mark one (``id``) or all notifications read, then follow ``next`` if it is local."""
    raw = request.POST.get("id", "")
    mark_read(request.user, [int(raw)] if raw.isdigit() else None)
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return HttpResponseRedirect(target)
    return redirect("notifications:inbox")
