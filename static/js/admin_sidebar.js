// The admin's navigation sidebar starts collapsed, so lists get the whole width at 1280 px;
// its toggle still opens it, and Django remembers the choice (localStorage).
try {
    if (localStorage.getItem('django.admin.navSidebarIsOpen') === null) {
        localStorage.setItem('django.admin.navSidebarIsOpen', 'false');
    }
} catch (error) {
    // storage blocked: Django's default (open) applies
}
