from django.urls import path

from projects import pages, staff

urlpatterns = [
    path("projects/", pages.projects_map, name="projects-map"),
    path("projects/<slug:slug>/", pages.project_page, name="project-page"),
    path("section/<str:pcode>/", pages.section_page, name="section-page"),
    path("spending/", pages.spending_page, name="spending-page"),
    path("manage/projects/", staff.project_manage, name="project-manage"),
    path("manage/projects/new/", staff.project_new, name="project-new"),
    path("manage/projects/<slug:slug>/", staff.project_edit, name="project-edit"),
]
