from django.urls import path

from projects import pages

urlpatterns = [
    path("projects/", pages.projects_map, name="projects-map"),
    path("projects/<slug:slug>/", pages.project_page, name="project-page"),
    path("section/<str:pcode>/", pages.section_page, name="section-page"),
    path("spending/", pages.spending_page, name="spending-page"),
]
