#include "clients/cli/desk_program.h"

#include "clients/cli/booking_commands.h"
#include "clients/cli/client_commands.h"
#include "clients/cli/day_sheet.h"
#include "clients/cli/slot_commands.h"
#include "clients/cli/therapist_commands.h"

namespace velknee::cli {

ProgramInfo DeskProgram() {
  return {"velknee-desk", "the velknee front-desk client.",
          "\nTimes are typed and shown in the clinic's time zone: --time_zone=IANA name (e.g.\n"
          "Europe/London), default this machine's zone.\n"};
}

CommandRegistry DeskCommands() {
  CommandRegistry registry;
  RegisterClientCommands(registry);
  RegisterTherapistCommands(registry);
  RegisterSlotCommands(registry);
  RegisterBookingCommands(registry);
  RegisterDaySheetCommand(registry);
  return registry;
}

}  // namespace velknee::cli
