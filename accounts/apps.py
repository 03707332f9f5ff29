from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "账号与角色"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from accounts.middleware import start_session_clock

        user_logged_in.connect(start_session_clock, dispatch_uid="accounts_start_session_clock")

        # The cached signed-in user (accounts.backends) is dropped whenever its row or its unit changes.
        from django.db.models.signals import post_delete, post_save

        from accounts.backends import forget_saved_user, forget_unit_users

        for name, signal in (("save", post_save), ("delete", post_delete)):
            signal.connect(forget_saved_user, sender="accounts.User", dispatch_uid=f"accounts_forget_user_{name}")
            signal.connect(forget_unit_users, sender="tasks.Unit", dispatch_uid=f"accounts_forget_unit_{name}")
