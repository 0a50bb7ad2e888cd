#pragma once
// theme — light, dark, or whatever the system uses. The application palette carries the choice;
// widgets that draw their own colours (the editor, the console) follow it. GUI thread only.

#include <QPalette>
#include <QString>

namespace Loopscope::Ui {

enum class ThemeMode { System, Light, Dark };

QString themeModeName(ThemeMode mode);            // "system", "light", "dark" (settings values)
ThemeMode themeModeFromName(const QString &name);  // unknown names: System

bool isDark(const QPalette &palette);
QPalette lightPalette();
QPalette darkPalette();

// Sets the application palette for `mode`; System follows the platform's colour scheme.
void applyTheme(ThemeMode mode);

} // namespace Loopscope::Ui
