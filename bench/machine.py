"""What every benchmark's JSON line says about where it ran: the CPU, its cores, and the load (`uptime`)."""

import os
import subprocess


def machine() -> str:
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True, check=True).stdout
        for line in out.splitlines():
            if line.startswith("Model name:"):
                return f"{line.split(':', 1)[1].strip()}, {os.cpu_count()} cores"
    except (OSError, subprocess.CalledProcessError):
        pass
    return f"unknown CPU, {os.cpu_count()} cores"


def uptime() -> str:
    try:
        return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    except OSError:
        return ""
