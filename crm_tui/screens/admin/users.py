"""Administration: users (with staff attributes) and the department tree."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Input, Select, TabbedContent, TabPane, Tree

from crm_tui.i18n import _
from crm_tui.screens.base import ConfirmDialog, run_service
from crm_tui.screens.main import AreaPane
from crm_tui.services.admin import departments, users
from crm_tui.widgets.forms import Field, FormDialog
from crm_tui.widgets.picker import StaffPicker
from crm_tui.widgets.tables import SizedTable

ROLE_CHOICES = ("administrator", "manager", "salesperson", "clerk", "statistician", "warehouse")


class AdminPane(AreaPane):
    BINDINGS = [
        Binding("f2", "new", "New", id="admin.new"),
        Binding("f4", "edit", "Edit", id="admin.edit"),
        Binding("f8", "toggle_active", "Disable/enable", id="admin.disable"),
        Binding("f9", "backup", "Back up", id="admin.backup"),
        Binding("f6", "company", "Company details", id="admin.company"),
    ]

    def compose(self) -> ComposeResult:
        with TabbedContent(id="admin-tabs"):
            with TabPane(_("Users"), id="tab-users"):
                table = SizedTable(id="users", cursor_type="row", zebra_stripes=True)
                table.add_columns(_("Login"), _("Name"), _("Role"), _("Active"), _("Staff no."), _("Department"),
                                  _("Position"), _("Area"), _("Supervisor"))
                yield table
            with TabPane(_("Departments"), id="tab-departments"):
                yield Tree(_("Departments"), id="departments")

    def on_mount(self) -> None:
        super().on_mount()
        self.user_rows: list[users.UserRow] = []
        self.dept_rows: list[departments.DepartmentRow] = []

    def refresh_data(self) -> None:
        def load(session):
            return users.list_users(session), departments.list_departments(session)

        run_service(self, load, self._show, group="admin-load")

    def _show(self, result) -> None:
        if not self.query("#users"):  # TabbedContent mounts its panes a moment after the pane itself
            self.call_after_refresh(self._show, result)
            return
        self.user_rows, self.dept_rows = result
        table = self.query_one("#users", DataTable)
        keep = table.cursor_row
        table.clear()
        for r in self.user_rows:
            table.add_row(r.login, r.display_name, _(r.role), _("yes") if r.active else _("no"), r.staff_number or "",
                          r.department or "", r.position or "", r.area or "", r.supervisor or "", key=str(r.id))
        if self.user_rows:
            table.move_cursor(row=min(keep, len(self.user_rows) - 1))
        tree = self.query_one("#departments", Tree)
        tree.clear()
        nodes = {None: tree.root}
        for d in self.dept_rows:
            label = d.name + (f"  ({_('head')}: {d.manager})" if d.manager else "") + f"  · {d.members}"
            nodes[d.id] = nodes.get(d.parent_id, tree.root).add(label, data=d.id, expand=True)
        tree.root.expand()

    @property
    def on_users_tab(self) -> bool:
        return self.query_one("#admin-tabs", TabbedContent).active == "tab-users"

    def selected_user(self) -> users.UserRow | None:
        table = self.query_one("#users", DataTable)
        if not self.user_rows or table.cursor_row < 0:
            return None
        return self.user_rows[table.cursor_row]

    def selected_department(self) -> departments.DepartmentRow | None:
        node = self.query_one("#departments", Tree).cursor_node
        if node is None or node.data is None:
            return None
        return next((d for d in self.dept_rows if d.id == node.data), None)

    # actions

    def action_new(self) -> None:
        if self.on_users_tab:
            self.action_new_user()
        else:
            self.action_new_department()

    def action_new_user(self) -> None:
        self.query_one("#admin-tabs", TabbedContent).active = "tab-users"
        self.app.push_screen(UserForm(None, self.user_rows, self.dept_rows), self._after_form)

    def action_new_department(self) -> None:
        self.query_one("#admin-tabs", TabbedContent).active = "tab-departments"
        parent = self.selected_department()
        self.app.push_screen(DepartmentForm(None, self.dept_rows, self.user_rows, parent.id if parent else None),
                             self._after_form)

    def action_edit(self) -> None:
        if self.on_users_tab:
            row = self.selected_user()
            if row:
                self.app.push_screen(UserForm(row, self.user_rows, self.dept_rows), self._after_form)
        else:
            dept = self.selected_department()
            if dept:
                self.app.push_screen(DepartmentForm(dept, self.dept_rows, self.user_rows), self._after_form)

    def _after_form(self, result) -> None:
        if result:
            self.app.notify(_("Saved."))
            self.refresh_data()

    def action_toggle_active(self) -> None:
        row = self.selected_user() if self.on_users_tab else None
        if row is None:
            return
        question = (_("Disable user {name} ({login})? Their customers and documents stay with them until "
                      "transferred.") if row.active else _("Enable user {name} ({login}) again?")).format(
            name=row.display_name, login=row.login)

        def answered(yes: bool) -> None:
            if yes:
                actor = self.app.actor
                run_service(self, lambda s: users.set_active(s, actor, row.id, not row.active),
                            lambda _r: self.refresh_data(), write=True)

        self.app.push_screen(ConfirmDialog(question), answered)

    def action_company(self) -> None:
        from crm_tui.screens.admin.company import open_company_form

        open_company_form(self)

    def action_backup(self) -> None:
        def work(_session):
            from crm_tui.services.admin.backup import backup

            return backup(self.app.engine)

        run_service(self, work, lambda path: self.app.notify(_("Backup written to {path}").format(path=path)))


def _blank_to_none(value: str) -> str | None:
    value = value.strip()
    return value or None


def staff_picker(all_users, user_id: int | None, widget_id: str) -> StaffPicker:
    """A staff picker showing ``user_id`` (one of ``all_users``), if any."""
    current = next((u for u in all_users if user_id is not None and u.id == user_id), None)
    return StaffPicker(value=users.StaffChoice.of(current) if current else None, id=widget_id)


def picked_staff(form: FormDialog, widget_id: str, field: str) -> int | None:
    """The chosen person's id; None when the field is empty. Typed but not chosen is an error, not a blank."""
    picker = form.query_one(f"#{widget_id}", StaffPicker)
    if picker.value is None and picker.input.value.strip():
        raise ValueError(_("{field}: choose one of the suggestions, or leave it empty.").format(field=field))
    return picker.value


class UserForm(FormDialog):
    def __init__(self, row: users.UserRow | None, all_users, all_departments):
        super().__init__()
        self.row = row
        self.all_users = all_users
        self.all_departments = all_departments
        self.title_text = _("Edit user {login}").format(login=row.login) if row else _("New user")

    def fields(self) -> ComposeResult:
        r = self.row
        yield Field(_("Login"), Input(r.login if r else "", id="login", disabled=r is not None), required=True)
        yield Field(_("Name"), Input(r.display_name if r else "", id="display_name"), required=True)
        yield Field(_("Role"), Select([(_(x), x) for x in ROLE_CHOICES], value=r.role if r else "salesperson",
                                      allow_blank=False, id="role"))
        yield Field(_("Staff no."), Input(r.staff_number or "" if r else "", id="staff_number"))
        yield Field(_("Department"), Select([(d.path, d.id) for d in self.all_departments],
                                            value=r.department_id if r and r.department_id else Select.NULL,
                                            id="department_id"))
        yield Field(_("Position"), Input(r.position or "" if r else "", id="position",
                                         placeholder=_("e.g. 商超业务员")))
        yield Field(_("Area"), Input(r.area or "" if r else "", id="area", placeholder=_("e.g. 南坊片区")))
        yield Field(_("Supervisor"), staff_picker(self.all_users, r.supervisor_id if r else None, "supervisor_id"))
        yield Field(_("Mobile"), Input(r.phone or "" if r else "", id="phone"))
        yield Field(_("Email"), Input(r.email or "" if r else "", id="email"))
        if r is None:
            yield Field(_("Password"), Input(password=True, id="password",
                                             placeholder=_("empty: the user cannot log in yet")))

    def on_input_changed(self, event: Input.Changed) -> None:
        """Validate as you type: say what is wrong in words."""
        from crm_tui.services.admin.users import LOGIN_RE

        if event.input.id == "login" and event.value and not LOGIN_RE.match(event.value.strip()):
            self.show_error(_("Login must be 2-64 letters, digits or . _ - @."))
        elif event.input.id == "password" and event.value:
            from crm_tui.services.admin.passwords import check_strength

            problem = check_strength(event.value)
            self.show_error(_(problem) if problem else "")
        else:
            self.show_error("")

    def collect(self) -> dict:
        values = {
            "display_name": self.value("display_name"),
            "role": self.choice("role"),
            "staff_number": _blank_to_none(self.value("staff_number")),
            "department_id": self.choice("department_id"),
            "position": _blank_to_none(self.value("position")),
            "area": _blank_to_none(self.value("area")),
            "supervisor_id": picked_staff(self, "supervisor_id", _("Supervisor")),
            "phone": _blank_to_none(self.value("phone")),
            "email": _blank_to_none(self.value("email")),
        }
        if not values["display_name"]:
            raise ValueError(_("Display name is required."))
        if self.row is None:
            values["login"] = self.value("login")
            values["password"] = self.query_one("#password", Input).value or None
        return values

    def save(self, values: dict) -> None:
        actor = self.app.actor
        row = self.row

        def work(session):
            if row is None:
                rest = dict(values)  # a retry runs this again: take from a copy
                login, password, name, role = (rest.pop(k) for k in ("login", "password", "display_name", "role"))
                return users.add_user(session, actor, login, name, role, password, **rest)
            return users.update_user(session, actor, row.id, row.version, **values)

        run_service(self, work, lambda _r: self.finish(True), write=True)


class DepartmentForm(FormDialog):
    def __init__(self, row: departments.DepartmentRow | None, all_departments, all_users,
                 parent_id: int | None = None):
        super().__init__()
        self.row = row
        self.all_departments = all_departments
        self.all_users = all_users
        self.parent_id = row.parent_id if row else parent_id
        self.title_text = _("Edit department {name}").format(name=row.name) if row else _("New department")

    def fields(self) -> ComposeResult:
        r = self.row
        yield Field(_("Name"), Input(r.name if r else "", id="name"), required=True)
        parents = [(d.path, d.id) for d in self.all_departments if not r or d.id != r.id]
        yield Field(_("Parent"), Select(parents, value=self.parent_id or Select.NULL, id="parent_id",
                                        prompt=_("(top level)")))
        yield Field(_("Head"), staff_picker(self.all_users, r.manager_id if r else None, "manager_id"))

    def collect(self) -> dict:
        name = self.value("name")
        if not name:
            raise ValueError(_("Department name is required."))
        return {"name": name, "parent_id": self.choice("parent_id"),
                "manager_id": picked_staff(self, "manager_id", _("Head"))}

    def save(self, values: dict) -> None:
        actor = self.app.actor
        row = self.row

        def work(session):
            if row is None:
                return departments.add_department(session, actor, values["name"], values["parent_id"],
                                                  values["manager_id"])
            return departments.update_department(session, actor, row.id, row.version, **values)

        run_service(self, work, lambda _r: self.finish(True), write=True)

