from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient


def client_for(user):
    """An API client that signs in with the user's token, as outside programs do."""
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client
