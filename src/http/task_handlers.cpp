// Tasks (api.md, Tasks).
#include <boost/json.hpp>

#include "core/strings.hpp"
#include "db/repositories.hpp"
#include "domain/json_columns.hpp"
#include "domain/tasks.hpp"
#include "http/errors.hpp"
#include "http/handlers.hpp"

namespace jack::http {
namespace json = boost::json;
using domain::Ctx;

namespace {

bool OneOf(const std::string& v, std::initializer_list<const char*> values) {
  for (const char* x : values)
    if (v == x) return true;
  return false;
}

void ListTasks(AppState& s, Request& req, Done done) {
  auto limit = LimitParam(req.Query("limit"));
  if (!limit) req.Reject(limit.error());
  db::TaskFilter f;
  Error e = Error::Invalid("invalid query");
  f.status = req.Query("status");
  if (f.status &&
      !OneOf(*f.status, {"pending", "assigned", "in_progress", "completed", "cancelled"}))
    e.fields.push_back(
        {"status", "must be pending, assigned, in_progress, completed or cancelled"});
  f.department = req.Query("department");
  if (f.department && !OneOf(*f.department, {"housekeeping", "maintenance", "room_service",
                                             "concierge", "front_desk"}))
    e.fields.push_back(
        {"department", "must be housekeeping, maintenance, room_service, concierge or front_desk"});
  f.priority = req.Query("priority");
  if (f.priority && !OneOf(*f.priority, {"urgent", "high", "standard", "low"}))
    e.fields.push_back({"priority", "must be urgent, high, standard or low"});
  f.assigned_to = req.Query("assignedTo");
  f.room_number = req.Query("roomNumber");
  f.conversation_id = req.Query("conversationId");
  f.after_id = req.Query("cursor");
  if (!e.fields.empty()) req.Reject(e);
  f.limit = (limit ? *limit : 50) + 1;
  WithStaffRead(s, req, "task.view", std::move(done),
                [f, lim = (limit ? *limit : 50)](Ctx& ctx, const StaffCtx& sc) mutable {
                  if (f.assigned_to == "me") f.assigned_to = sc.staff.id;
                  auto rows = db::ListTasks(ctx.db, f);
                  if (!rows) return ErrorResponse(rows.error());
                  bool more = static_cast<int>(rows->size()) > lim;
                  if (more) rows->pop_back();
                  Arena arena;
                  json::array items = arena.Array(rows->size());
                  for (const auto& t : *rows) items.push_back(TaskJson(t, arena.sp));
                  return Page(std::move(items),
                              more ? std::optional<std::string>(rows->back().id) : std::nullopt);
                });
}

// The fields of POST /tasks and PATCH /tasks/{id}.
domain::TaskInput ReadTaskInput(Fields& f) {
  domain::TaskInput in;
  in.type = f.String("type", false, 32);
  in.department = f.String("department", false, 32);
  in.description = f.String("description", false, 4000);
  in.priority = f.String("priority", false, 16);
  in.room_number = f.String("roomNumber", false, 16);
  in.notes = f.String("notes", false, 4000);
  if (const auto* items = f.Raw("items")) {
    auto c = domain::CanonicalItems(*items, "items");
    if (!c) {
      for (const auto& fe : c.error().fields) f.Fail(fe.path, fe.message);
      if (c.error().fields.empty()) f.Fail("items", c.error().message);
    } else {
      in.items_json = *c;
    }
  }
  in.due_at = f.Nullable("dueAt", 40);
  in.conversation_id = f.Nullable("conversationId", 100);
  return in;
}

void CreateTask(AppState& s, Request& req, Done done) {
  WithStaffRequest(
      s, req, "task.create", std::move(done),
      [](Ctx& ctx, const StaffCtx& sc, const Request& rq) {
        auto body = JsonBody(rq);
        if (!body) return BodyError(body.error());
        Fields f(*body);
        auto in = ReadTaskInput(f);
        if (auto st = f.Finish(); !st) return BodyError(st.error());
        db::Transaction tx(ctx.db);
        if (!tx.status()) return ErrorResponse(tx.status().error());
        auto t = domain::CreateTaskFrom(ctx, in, sc.actor);
        if (!t) return ErrorResponse(t.error());
        if (auto st = tx.Commit(); !st) return ErrorResponse(st.error());
        return Json(201, TaskJson(*t));
      },
      /*idempotent=*/true);
}

void GetTask(AppState& s, Request& req, Done done) {
  WithStaffRead(s, req, "task.view", std::move(done),
                [id = req.params["id"]](Ctx& ctx, const StaffCtx&) {
                  auto t = db::FindTask(ctx.db, id);
                  if (!t) return ErrorResponse(t.error());
                  if (!*t) return ErrorResponse(Error::NotFound("task not found"));
                  return Json(200, TaskJson(**t));
                });
}

using TaskAct = std::function<Status(Ctx&, const StaffCtx&, const json::object&, db::TaskRow&)>;
void TaskAction(AppState& s, Request& req, Done done, std::string permission, TaskAct act,
                bool empty_body_ok = true) {
  WithStaffRequest(
      s, req, std::move(permission), std::move(done),
      [act = std::move(act), empty_body_ok](Ctx& ctx, const StaffCtx& sc, const Request& rq) {
        auto body = JsonBody(rq, empty_body_ok);
        if (!body) return BodyError(body.error());
        db::Transaction tx(ctx.db);
        if (!tx.status()) return ErrorResponse(tx.status().error());
        auto t = db::FindTask(ctx.db, rq.params.at("id"));
        if (!t) return ErrorResponse(t.error());
        if (!*t) return ErrorResponse(Error::NotFound("task not found"));
        if (auto st = act(ctx, sc, *body, **t); !st) return BodyError(st.error());
        if (auto st = tx.Commit(); !st) return ErrorResponse(st.error());
        return Json(200, TaskJson(**t));
      },
      /*idempotent=*/true);
}

void PatchTask(AppState& s, Request& req, Done done) {
  TaskAction(
      s, req, std::move(done), "task.assign",
      [](Ctx& ctx, const StaffCtx& sc, const json::object& body, db::TaskRow& t) -> Status {
        Fields f(body);
        auto in = ReadTaskInput(f);
        if (in.conversation_id) f.Fail("conversationId", "cannot be changed");
        for (const char* k : {"status", "assignedTo"})
          if (body.contains(k)) f.Fail(k, "changes through the task's actions (assign, start...)");
        JACK_TRY(f.Finish());
        return domain::UpdateTaskFields(ctx, t, in, sc.actor);
      },
      /*empty_body_ok=*/false);
}

void AssignTask(AppState& s, Request& req, Done done) {
  TaskAction(s, req, std::move(done), "task.assign",
             [](Ctx& ctx, const StaffCtx& sc, const json::object& body, db::TaskRow& t) -> Status {
               Fields f(body);
               auto staff_id = f.String("staffId", true, 100);
               JACK_TRY(f.Finish());
               return domain::AssignTask(ctx, t, *staff_id, sc.actor);
             });
}

void StartTask(AppState& s, Request& req, Done done) {
  TaskAction(s, req, std::move(done), "task.complete",
             [](Ctx& ctx, const StaffCtx& sc, const json::object&, db::TaskRow& t) {
               return domain::StartTask(ctx, t, sc.staff.id, sc.actor);
             });
}

void CompleteTask(AppState& s, Request& req, Done done) {
  TaskAction(s, req, std::move(done), "task.complete",
             [](Ctx& ctx, const StaffCtx& sc, const json::object& body, db::TaskRow& t) -> Status {
               Fields f(body);
               auto notes = f.String("completionNotes", false, 4000);
               JACK_TRY(f.Finish());
               return domain::CompleteTask(ctx, t, sc.actor, notes);
             });
}

void CancelTask(AppState& s, Request& req, Done done) {
  TaskAction(s, req, std::move(done), "task.complete",
             [](Ctx& ctx, const StaffCtx& sc, const json::object&, db::TaskRow& t) {
               return domain::CancelTask(ctx, t, sc.actor);
             });
}

}  // namespace

void RegisterTaskRoutes(Router& r, AppState& s) {
  auto bind = [&s](void (*fn)(AppState&, Request&, Done)) {
    return [&s, fn](Request& req, Done done) { fn(s, req, std::move(done)); };
  };
  const std::string tag = "tasks";
  r.Add("GET", "/api/v1/tasks", bind(ListTasks),
        {.summary = "The task queue",
         .tag = tag,
         .permission = "task.view",
         .query = {"status", "department", "assignedTo", "priority", "roomNumber", "conversationId",
                   "limit", "cursor"},
         .response = "List:Task",
         .errors = {400}});
  r.Add("POST", "/api/v1/tasks", bind(CreateTask),
        {.summary = "Create a task",
         .tag = tag,
         .permission = "task.create",
         .body = "TaskInput",
         .response = "Task",
         .status = 201,
         .errors = {400, 415},
         .idempotent = true});
  r.Add("GET", "/api/v1/tasks/{id}", bind(GetTask),
        {.summary = "A task",
         .tag = tag,
         .permission = "task.view",
         .response = "Task",
         .errors = {404}});
  r.Add("PATCH", "/api/v1/tasks/{id}", bind(PatchTask),
        {.summary = "Change a task's details",
         .tag = tag,
         .permission = "task.assign",
         .body = "TaskPatch",
         .response = "Task",
         .errors = {400, 404, 415},
         .idempotent = true});
  r.Add("POST", "/api/v1/tasks/{id}/assign", bind(AssignTask),
        {.summary = "Assign to a staff member",
         .tag = tag,
         .permission = "task.assign",
         .body = "TaskAssignRequest",
         .response = "Task",
         .errors = {400, 404, 409, 415},
         .idempotent = true});
  r.Add("POST", "/api/v1/tasks/{id}/start", bind(StartTask),
        {.summary = "Start (assigns an unassigned task to the caller)",
         .tag = tag,
         .permission = "task.complete",
         .response = "Task",
         .errors = {404, 409},
         .idempotent = true});
  r.Add("POST", "/api/v1/tasks/{id}/complete", bind(CompleteTask),
        {.summary = "Complete",
         .tag = tag,
         .permission = "task.complete",
         .body = "TaskCompleteRequest",
         .response = "Task",
         .errors = {400, 404, 409, 415},
         .idempotent = true});
  r.Add("POST", "/api/v1/tasks/{id}/cancel", bind(CancelTask),
        {.summary = "Cancel",
         .tag = tag,
         .permission = "task.complete",
         .response = "Task",
         .errors = {404, 409},
         .idempotent = true});
}

}  // namespace jack::http
