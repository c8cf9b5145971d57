#pragma once

#include <optional>
#include <string>
#include <vector>

namespace jack::ai {

// One entity of a guest message (ai.md, Entities): stored in messages.entities as
// [{type, value, text}]. `number` is set for quantity and party_size, `value` otherwise.
struct Entity {
  std::string type;   // quantity, item, room_number, time, date, party_size
  std::string value;  // canonical: item noun in English singular, HH:MM, YYYY-MM-DD, room
  int number = 0;
  std::string text;  // the words of the message it came from
};

struct ItemRequest {
  std::string item;  // canonical English singular: towel, pillow, toilet_paper...
  int quantity = 1;
  std::string text;  // the guest's own word for it
};

struct Entities {
  std::vector<Entity> all;
  std::vector<ItemRequest> items;
  std::optional<std::string> room_number;
  std::optional<std::string> time;  // HH:MM, hotel time
  std::optional<std::string> date;  // YYYY-MM-DD
  std::optional<int> party_size;
};

// Extracts entities. `today` is the hotel's local date and `weekday` its day of week
// (0 = Sunday), for "tomorrow" and "Friday".
Entities ExtractEntities(const std::string& text, const std::string& today, int weekday);
// A message that is only a room number ("412", "room 412", "it's 1204"), for answering the
// "which room?" question.
std::optional<std::string> RoomNumberAnswer(const std::string& text);
// JSON array text of the entities, as stored.
std::string EntitiesJson(const Entities& e);

}  // namespace jack::ai
