"""Expose the förbund, membership and abilities of the request to every template."""


def tenancy(request):
    return {
        "forbund": getattr(request, "forbund", None),
        "membership": getattr(request, "membership", None),
        "abilities": getattr(request, "abilities", {}),
    }
