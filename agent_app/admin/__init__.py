"""Administration of the center's data from the desktop (an admin or the manager): the center's
code lists today. Qt-free logic here, controllers in qt/, widgets in views/."""
