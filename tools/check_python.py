"""Stop early, with a sentence a learner can act on, when this Python cannot run the course.

The README's two commands start with ``python3 tools/check_python.py`` (``py -3 ...`` on
Windows), so that an unsupported Python is named before anything is installed. Written for
any Python 3, even an old one: no syntax newer than 3.0 here.
"""

import sys

OLDEST = (3, 11)  # the oldest Python the course is tested on
NEWEST = (3, 13)  # the newest Python the course is tested on


def problem(version):
    """None when ``version`` (a (major, minor) tuple) can run the course, else the reason."""
    version = tuple(version[:2])
    if OLDEST <= version <= NEWEST:
        return None
    found = "%d.%d" % version
    oldest, newest = "%d.%d" % OLDEST, "%d.%d" % NEWEST
    if version < OLDEST:
        return ("This is Python %s; the course needs Python %s to %s. Install one of those "
                "and run the command again with it (for example python%s)." %
                (found, oldest, newest, newest))
    return ("This is Python %s, newer than the newest Python the course is tested on (%s). "
            "Install Python %s (the oldest tested is %s) and run the command again with it "
            "(for example python%s, or py -%s on Windows)." %
            (found, newest, newest, oldest, newest, newest))


def main():
    reason = problem(sys.version_info)
    if reason:
        sys.stderr.write(reason + "\n")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
