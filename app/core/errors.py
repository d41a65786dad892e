"""Errors that reach the person using the program.

Only a UserError's text is shown as-is; anything else is logged with its
traceback and shown as a short generic message (GUI) or exit code 1 (CLI).
Messages are built lazily so they follow the current language.
"""

from __future__ import annotations

from app.core.i18n import N_, Translatable, _


class UserError(Exception):
    """Something the person can fix; `message` says what and what to do."""

    exit_code = 1
    template = N_("The operation could not be completed.")

    def __init__(self, template: str | None = None, **params: object) -> None:
        self.template = template or self.template
        self.params = params
        super().__init__(self.template)

    @property
    def message(self) -> str:
        text = _(self.template)
        if not self.params:
            return text
        params = {
            key: _(value) if isinstance(value, Translatable) else value
            for key, value in self.params.items()
        }
        return text.format(**params)

    def __str__(self) -> str:
        return self.message


class WrongPassphrase(UserError):
    template = N_("Wrong user name or passphrase. Check the keyboard language and Caps Lock, then try again.")


class UnlockThrottled(UserError):
    template = N_("Too many failed attempts. Wait {seconds} seconds, then try again.")


class WrongRecoveryKey(UserError):
    template = N_("This recovery key does not open this register. Check each group of characters on the recovery sheet.")


class MalformedRecoveryKey(UserError):
    template = N_("The recovery key is not valid: {reason}. Type it exactly as printed on the recovery sheet.")


class RegisterNotFound(UserError):
    template = N_("No register was found at {path}. Check the folder, or create a new register with the setup wizard or 'tuvan init'.")


class RegisterDriveMissing(RegisterNotFound):
    template = N_("The drive {drive} of the register {path} is not on this computer: a USB stick or network drive "
                  "may have been removed. Plug it in again, then try again. Nothing was changed.")


class RegisterExists(UserError):
    template = N_("A register already exists at {path}. Choose another folder.")


class OtherRegisterAtPath(UserError):
    template = N_("The folder {path} holds a different register. Restore into another folder, or choose to set the other register aside.")


class RegisterDamaged(UserError):
    exit_code = 2
    template = N_("The register at {path} is damaged or is not a Tư Vấn register ({detail}). Restore the latest backup.")


class RegisterInWindow(UserError):
    template = N_("This register is already open in another Tư Vấn window (on the computer {computer}, since {since}). "
                  "Switch to that window on the taskbar, or close it and start Tư Vấn again. Register: {path}")


class RegisterInUse(UserError):
    template = N_("The register {path} is open in another Tư Vấn window or command. Close every other Tư Vấn "
                  "window and command that uses it, then try again. Nothing was changed.")


class RegisterBusy(UserError):
    template = N_("The register {path} is being re-keyed or restored by another Tư Vấn program. Wait until it has "
                  "finished, then try again.")


class RegisterTooNew(UserError):
    template = N_("This register was written by a newer version of Tư Vấn (schema {found}, this program knows {known}). Install the newer version to open it.")


class PlaintextDatabase(UserError):
    exit_code = 2
    template = N_("The file {path} is an unencrypted database. Tư Vấn only opens encrypted registers.")


class WeakPassphrase(UserError):
    template = N_("The passphrase is too weak: use at least {minimum} characters and not a common password, for example three or four unrelated words.")


class PassphraseMismatch(UserError):
    template = N_("The two passphrases are not the same. Type the new passphrase again in both fields.")


class InvalidInput(UserError):
    template = N_("{field}: {problem}")


class PermissionDenied(UserError):
    template = N_("Your role ({role}) does not allow this. Ask the register's administrator.")


class UserNotFound(UserError):
    template = N_("There is no user named '{login}' in this register.")


class UserExists(UserError):
    template = N_("A user named '{login}' already exists. Choose another user name.")


class LastAdmin(UserError):
    template = N_("This is the last administrator. Add another administrator first.")


class BackupInvalid(UserError):
    exit_code = 2
    template = N_("The backup {path} cannot be restored: {detail}. Nothing was changed. Use another backup file.")


class CheckFailed(UserError):
    exit_code = 2
    template = N_("The check found problems: {detail}")


class NeedPassphrase(UserError):
    template = N_("A passphrase is needed. Set TUVAN_PASSPHRASE or run the command in a terminal to be asked for it.")


class DiskFull(UserError):
    template = N_("The disk or USB stick for {path} is full. Nothing was written. Free some space or choose "
                  "another drive, then try again.")


class PathTooLong(UserError):
    template = N_("The folder or file name {path} is too long for this computer. Nothing was written. Choose a "
                  "folder with a shorter name, closer to the top of the drive (for example D:\\TuVan), then try "
                  "again.")


class FileInUse(UserError):
    template = N_("The file {path} is open in another program (Excel, a PDF reader…). Nothing was written. Close "
                  "it there, or choose another file name, then try again.")


class CannotWrite(UserError):
    template = N_("The file {path} could not be written ({reason}). Nothing was written. Check that the drive is "
                  "plugged in and not write-protected.")


class DatabaseUnreachable(UserError):
    template = N_("The office database server could not be reached: {detail}. Check the network and the server "
                  "address in the register folder's database.json, or ask the office administrator.")


class NotOnThisEngine(UserError):
    template = N_("This register is kept on the office's PostgreSQL server, where {what} is done by the server's "
                  "administrator (see docs/postgresql.md), not by this program.")


class NotYourUnit(UserError):
    template = N_("You do not serve the unit {unit}, so its records are not yours to import or see. The office "
                  "administrator assigns units to officers ('tuvan users units {login} --set …').")
