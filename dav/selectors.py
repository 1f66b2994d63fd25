from .models import AppPassword


def app_passwords_of(user):
    """The user's app passwords, by name (never their hashes: nothing shows them)."""
    return AppPassword.objects.filter(user=user).order_by("name", "pk").defer("secret_hash")
