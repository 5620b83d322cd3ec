"""Sign-in, sign-out, password change, profile and personal API tokens."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.messages.views import SuccessMessageMixin
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from hitpm.accounts import services
from hitpm.accounts.forms import ThrottledAuthenticationForm, TokenForm
from hitpm.core.views import SignedInRequest, confirm_page, is_htmx, posted


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = ThrottledAuthenticationForm
    redirect_authenticated_user = True


class PasswordChangeView(SuccessMessageMixin, auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:profile")
    success_message = "Your password was changed."


@login_required
def profile(request: SignedInRequest) -> HttpResponse:
    memberships = request.user.memberships.select_related("project").order_by("project__code")
    return render(request, "accounts/profile.html", {"memberships": memberships})


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def tokens(request: SignedInRequest) -> HttpResponse:
    """List the user's tokens; on POST issue one and show its secret in this response only."""
    form = TokenForm(posted(request))
    issued = None
    if request.method == "POST" and form.is_valid():
        issued = services.issue_token(request.user, form.cleaned_data["name"])
        form = TokenForm()
    context = {"form": form, "issued": issued, "tokens": request.user.api_tokens.all()}
    return render(request, "accounts/tokens.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def token_revoke(request: SignedInRequest, token_id: int) -> HttpResponse:
    """Revoke one of the user's own tokens (GET asks first); another person's is "not found"."""
    token = get_object_or_404(request.user.api_tokens, pk=token_id)
    if request.method == "GET":
        return confirm_page(
            request,
            title="Revoke API token",
            question=f"Revoke “{token.name}”? Scripts using it stop working at once.",
            confirm_label="Revoke token",
            cancel_url=reverse("accounts:tokens"),
        )
    revoked = services.revoke_token(request.user, token.pk)
    if is_htmx(request):
        token.refresh_from_db()
        return render(request, "accounts/_token_row.html", {"token": token})
    if revoked:
        messages.success(request, "Token revoked: it no longer works for the API.")
    else:
        messages.info(request, "This token was already revoked.")
    return redirect("accounts:tokens")
