"""Django's own messages that its Vietnamese catalogue lacks in this release, marked here so that `make messages`
puts them in the portal's catalogue (locale/), which Django reads first. Never imported: it is only read by
makemessages. Keep each text exactly as Django writes it (see django/**/locale/en/LC_MESSAGES/django.po)."""

from django.utils.translation import gettext_noop as _
from django.utils.translation import ngettext_lazy

# django.contrib.auth: password validation and the user forms.
ngettext_lazy(
    "This password is too short. It must contain at least %d character.",
    "This password is too short. It must contain at least %d characters.",
    0,
)
_("Conflicting form data submitted. Please try again.")
_("Password-based authentication was disabled.")
_("Set password: %s")
_("Reset password")
_("Set password")
_("Password-based authentication")
_("Enabled")
_("Disabled")
_("Raw passwords are not stored, so there is no way to see the user’s password.")
_("Enable password-based authentication for this user by setting a password.")

# django.contrib.admin
_("Select this object for an action - {}")
_("Breadcrumbs")
_("Model name")
_("Add link")
_("Change or view list link")
_("After you’ve created a user, you’ll be able to edit more user options.")
_("Error:")
_("Disable password-based authentication")
_("Enable password-based authentication")
_("Skip to main content")
_("Hide counts")
_("Show counts")
_("Toggle theme (current theme: auto)")
_("Toggle theme (current theme: light)")
_("Toggle theme (current theme: dark)")
_("Added:")
_("Changed:")
_("Deleted:")
_("Forgotten your login credentials?")
_("Toggle navigation")
_("Sidebar")
_("Filter navigation items")
_("View selected %(model)s")
_("In case you’ve forgotten, you are:")
_("Select all objects on this page for an action")

# Forms, fields and pages.
_("That page number is not an integer")
_("That page number is less than 1")
_("That page contains no results")
_("Null characters are not allowed.")
_("Constraint “%(name)s” is violated.")
_("“%(value)s” value must be a decimal number.")
_("“%(value)s” value must be an integer.")
_("Enter a valid duration.")
_("Enter a complete value.")
_("Value must be valid JSON.")
_("The inline value did not match the parent instance.")
_("“%(pk)s” is not a valid value.")
_("%(datetime)s couldn’t be interpreted in time zone %(current_timezone)s; it may be ambiguous or it may not exist.")
_("Ensure this value is a multiple of step size %(limit_value)s.")
_("Forbidden")
_("Messages")
ngettext_lazy("Please submit at most %(num)d form.", "Please submit at most %(num)d forms.", 0)
ngettext_lazy("Please submit at least %(num)d form.", "Please submit at least %(num)d forms.", 0)
