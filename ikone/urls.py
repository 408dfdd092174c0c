from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView

from . import cockpit, privacy_views, search_views, security, views
from .sitemaps import SITEMAPS

admin.site.site_header = _("IKONE DS – coordination")
admin.site.site_title = _("IKONE DS administration")
admin.site.index_title = _("Coordination of the network")
# The admin logs in through allauth: same rate limits, same second factor.
admin.site.login = secure_admin_login(admin.site.login)
_admin_index = admin.site.index


def _admin_index_with_cockpit(request, extra_context=None):
    """The admin start page leads with the coordinator's cockpit: what waits, and where."""
    context = {**(extra_context or {}), "cockpit": cockpit.sections()}
    return _admin_index(request, extra_context=context)


admin.site.index = _admin_index_with_cockpit
_old_circular_admin = RedirectView.as_view(
    url="/admin/circulars/circular/%(rest)s", query_string=True
)

urlpatterns = [
    path("", views.home, name="home"),
    path("suche/", search_views.search_page, name="search"),
    path("impressum/", views.imprint, name="imprint"),
    path("datenschutz/", views.privacy, name="privacy"),
    path("barrierefreiheit/", views.accessibility, name="accessibility"),
    path("health/", security.health, name="health"),  # GET/HEAD: HealthCheckMiddleware
    path("favicon.ico", views.favicon, name="favicon"),
    path("sprache/<str:language>/", views.switch_language, name="switch_language"),
    path("i18n/", include("django.conf.urls.i18n")),
    # The e-mail address is the login and the contact's address: only coordinators change it.
    path("konto/email/", views.email_managed_by_coordinators, name="account_email"),
    path("bereich/meine-daten/", privacy_views.my_data, name="privacy_my_data"),
    path(
        "bereich/meine-daten/export.json",
        privacy_views.my_data_export,
        name="privacy_my_data_export",
    ),
    path(
        "bereich/meine-daten/loeschen/",
        privacy_views.my_data_delete,
        name="privacy_my_data_delete",
    ),
    path("konto/", include("allauth.urls")),
    # Coordinators' bookmarks from when the circulars' admin lived under members/.
    path("admin/members/circular/", _old_circular_admin, {"rest": ""}),
    path("admin/members/circular/<path:rest>", _old_circular_admin),
    path("admin/", admin.site.urls),
    # The news pages first: they take most anonymous traffic (the resolver tries in order).
    path("", include("news.urls")),
    path("", include("members.urls")),
    path("", include("circulars.urls")),
    path("", include("meetings.urls")),
    path("", include("surveys.urls")),
    path("", include("projects.urls")),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("media/<path:path>", views.media, name="media"),
]

handler403 = "ikone.views.permission_denied"
handler404 = "ikone.views.page_not_found"
handler500 = "ikone.views.server_error"
