pragma Singleton
import QtQuick

// Colours for the light and the dark theme; Main.qml sets `dark` from the settings.
QtObject {
    property bool dark: false

    readonly property color window: dark ? "#1b1d21" : "#ffffff"
    readonly property color sidebar: dark ? "#141518" : "#f6f7f9"
    readonly property color surface: dark ? "#24272d" : "#f1f3f5"
    readonly property color raised: dark ? "#2c3037" : "#ffffff"
    readonly property color text: dark ? "#e6e8eb" : "#1d2025"
    readonly property color subtext: dark ? "#9aa1ab" : "#5f6670"
    readonly property color border: dark ? "#363a42" : "#e0e3e7"
    readonly property color accent: dark ? "#7aa7ff" : "#2f6fec"
    readonly property color accentText: "#ffffff"
    readonly property color userBubble: dark ? "#2a3344" : "#eaf1ff"
    readonly property color selection: dark ? "#33405a" : "#dbe6ff"
    readonly property color danger: dark ? "#ff7b72" : "#c62828"
    readonly property color warning: dark ? "#e3b341" : "#9a6700"
    readonly property color codeHeader: dark ? "#2f333b" : "#e9ecef"
    readonly property string monoFamily: "monospace"
}
