"""The HTTP gateway: a flask-smorest app in front of the nameko services."""
