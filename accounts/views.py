"""Own password change, and the coordinators' user management and unlock screens."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from accounts import services
from accounts.forms import OwnPasswordChangeForm, UnlockForm, UserFilterForm, UserForm
from accounts.lockout import active_lockouts
from accounts.middleware import password_change_is_due
from accounts.models import User
from accounts.permissions import coordinator_required, get_account_for_manager, may_manage_account


@require_http_methods(["GET", "POST"])
def password_change(request: HttpRequest) -> HttpResponse:
    form = OwnPasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.change_password(user=request.user, new_password=form.cleaned_data["new_password1"],
                                 request=request)
        # Keep this session; every other session of the person ends with the old password hash.
        update_session_auth_hash(request, request.user)
        messages.success(request, "密码已修改。")
        return redirect("home")
    return render(request, "accounts/password_change.html",
                  {"form": form, "forced": password_change_is_due(request.user)})


@coordinator_required
def user_list(request: HttpRequest) -> HttpResponse:
    filters = UserFilterForm(request.GET or None)
    users = User.objects.select_related("unit").order_by("-is_active", "role", "username")
    if filters.is_valid():
        q = filters.cleaned_data["q"]
        if q:
            users = users.filter(Q(username__icontains=q) | Q(last_name__icontains=q) | Q(first_name__icontains=q)
                                 | Q(unit__name__icontains=q) | Q(unit__short_name__icontains=q))
        if filters.cleaned_data["role"]:
            users = users.filter(role=filters.cleaned_data["role"])
        if filters.cleaned_data["active"]:
            users = users.filter(is_active=filters.cleaned_data["active"] == "1")
    page = Paginator(users, 50).get_page(request.GET.get("page"))
    for person in page:
        person.manageable = may_manage_account(request.user, person)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "accounts/user_list.html",
                  {"filters": filters, "page": page, "query": query.urlencode()})


def _show_temporary_password(request: HttpRequest, user: User, password: str) -> None:
    messages.warning(request, f"{user.display_name}（{user.username}）的临时密码：{password}　"
                              "请当面或电话告知本人；首次登录时须修改密码。此密码只显示这一次。")


@coordinator_required
@require_http_methods(["GET", "POST"])
def user_create(request: HttpRequest) -> HttpResponse:
    form = UserForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k != "username"}
        user, password = services.create_account(actor=request.user, username=form.cleaned_data["username"],
                                                  fields=fields, request=request)
        _show_temporary_password(request, user, password)
        return redirect("accounts:user_list")
    return render(request, "accounts/user_form.html", {"form": form, "creating": True})


@coordinator_required
@require_http_methods(["GET", "POST"])
def user_edit(request: HttpRequest, pk: int) -> HttpResponse:
    target = get_account_for_manager(request.user, pk)
    # A ModelForm writes into its instance while validating: give it a copy, the service gets the original.
    form = UserForm(request.POST or None, instance=User.objects.get(pk=target.pk))
    if request.method == "POST" and form.is_valid():
        services.update_user(actor=request.user, user=target, fields=form.cleaned_data, request=request)
        messages.success(request, f"已保存 {target.display_name} 的账号信息。")
        return redirect("accounts:user_list")
    return render(request, "accounts/user_form.html", {"form": form, "target": target, "creating": False})


@coordinator_required
@require_POST
def user_set_active(request: HttpRequest, pk: int) -> HttpResponse:
    target = get_account_for_manager(request.user, pk)
    active = request.POST.get("active") == "1"
    if target == request.user and not active:
        messages.error(request, "不能停用自己的账号。")
    else:
        services.set_user_active(actor=request.user, user=target, active=active, request=request)
        messages.success(request, f"已{'启用' if active else '停用'} {target.display_name} 的账号。")
    return redirect("accounts:user_list")


@coordinator_required
@require_POST
def user_reset_password(request: HttpRequest, pk: int) -> HttpResponse:
    target = get_account_for_manager(request.user, pk)
    password = services.reset_password(actor=request.user, user=target, request=request)
    _show_temporary_password(request, target, password)
    return redirect("accounts:user_list")


@coordinator_required
def lockout_list(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/lockout_list.html", {"lockouts": active_lockouts()})


@coordinator_required
@require_POST
def lockout_clear(request: HttpRequest) -> HttpResponse:
    form = UnlockForm(request.POST)
    if form.is_valid():
        services.unlock(actor=request.user, username=form.cleaned_data["username"],
                        ip_address=form.cleaned_data["ip_address"] or "", request=request)
        messages.success(request, "已解除锁定。")
    else:
        messages.error(request, "；".join(form.non_field_errors()) or "参数有误。")
    return redirect("accounts:lockout_list")
