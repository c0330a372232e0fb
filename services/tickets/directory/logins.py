"""Which login a person signs in with."""


def portal_login(contact):
    """The e-mail a contact signs in with: the first one, when the portal is open to them."""
    if contact.get("portal_access", "none") == "none" or not contact.get("emails"):
        return None
    return contact["emails"][0]
