"""Test fixture: writes and reads files in its /data (fileSystemAccess), and says who owns the folder."""
import os
import stat


def activate(ctx):
    pass


def deactivate(ctx):
    pass


def execute(action, ctx):
    kind, p = action["type"], action.get("payload") or {}
    if kind == "write":
        with open(os.path.join("/data", p["name"]), "w") as f:
            f.write(p["text"])
        return {"written": p["name"]}
    if kind == "read":
        try:
            with open(os.path.join("/data", p["name"])) as f:
                return {"text": f.read()}
        except FileNotFoundError:
            return {"text": None}
    if kind == "stat":
        st = os.stat("/data")
        return {"uid": st.st_uid, "me": os.getuid(), "mode": oct(stat.S_IMODE(st.st_mode)),
                "files": sorted(os.listdir("/data"))}
    return p
