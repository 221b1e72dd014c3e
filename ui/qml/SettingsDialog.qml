import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import QtQuick.Dialogs
import Parlo

// Settings (Ctrl+,): this conversation's system prompt, sampling, device, model folders, network,
// theme.
Dialog {
    id: root
    objectName: "settingsDialog"
    required property ChatController chat
    required property ModelController models
    required property AppSettings settings

    parent: Overlay.overlay
    anchors.centerIn: parent
    width: Math.min(parent.width - 80, 640)
    height: Math.min(parent.height - 80, 560)
    modal: true
    title: qsTr("Settings")
    standardButtons: Dialog.Close

    onOpened: promptArea.text = root.chat.systemPrompt
    onClosed: if (promptArea.text !== root.chat.systemPrompt) root.chat.systemPrompt = promptArea.text

    ColumnLayout {
        anchors.fill: parent
        spacing: 8

        TabBar {
            id: tabs
            Layout.fillWidth: true
            TabButton { text: qsTr("Conversation"); Accessible.name: text; Accessible.onPressAction: TabBar.tabBar.currentIndex = TabBar.index }
            TabButton { text: qsTr("Sampling"); Accessible.name: text; Accessible.onPressAction: TabBar.tabBar.currentIndex = TabBar.index }
            TabButton { text: qsTr("Device"); Accessible.name: text; Accessible.onPressAction: TabBar.tabBar.currentIndex = TabBar.index }
            TabButton { text: qsTr("Models"); Accessible.name: text; Accessible.onPressAction: TabBar.tabBar.currentIndex = TabBar.index }
            TabButton { objectName: "networkTab"; text: qsTr("Network"); Accessible.name: text; Accessible.onPressAction: TabBar.tabBar.currentIndex = TabBar.index }
            TabButton { text: qsTr("Appearance"); Accessible.name: text; Accessible.onPressAction: TabBar.tabBar.currentIndex = TabBar.index }
        }

        StackLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            currentIndex: tabs.currentIndex

            ColumnLayout {
                Label { text: qsTr("System prompt for this conversation"); color: Theme.text }
                ScrollView {
                    Layout.fillWidth: true
                    Layout.fillHeight: true
                    TextArea {
                        id: promptArea
                        objectName: "systemPromptArea"
                        wrapMode: TextEdit.Wrap
                        placeholderText: qsTr("For example: You are a concise assistant.")
                        Accessible.name: qsTr("System prompt")
                    }
                }
            }

            ScrollView {
                GridLayout {
                    columns: 2
                    columnSpacing: 16
                    Label { text: qsTr("Temperature") }
                    SpinBox {
                        from: 0; to: 500; stepSize: 5; editable: true
                        value: Math.round(root.settings.temperature * 100)
                        textFromValue: (v) => (v / 100).toFixed(2)
                        valueFromText: (t) => Math.round(parseFloat(t) * 100)
                        onValueModified: root.settings.temperature = value / 100
                        Accessible.name: qsTr("Temperature")
                    }
                    Label { text: qsTr("Top-k") }
                    SpinBox {
                        from: 0; to: 1000; editable: true
                        value: root.settings.topK
                        onValueModified: root.settings.topK = value
                        Accessible.name: qsTr("Top-k")
                    }
                    Label { text: qsTr("Top-p") }
                    SpinBox {
                        from: 0; to: 100; editable: true
                        value: Math.round(root.settings.topP * 100)
                        textFromValue: (v) => (v / 100).toFixed(2)
                        valueFromText: (t) => Math.round(parseFloat(t) * 100)
                        onValueModified: root.settings.topP = value / 100
                        Accessible.name: qsTr("Top-p")
                    }
                    Label { text: qsTr("Min-p") }
                    SpinBox {
                        from: 0; to: 100; editable: true
                        value: Math.round(root.settings.minP * 100)
                        textFromValue: (v) => (v / 100).toFixed(2)
                        valueFromText: (t) => Math.round(parseFloat(t) * 100)
                        onValueModified: root.settings.minP = value / 100
                        Accessible.name: qsTr("Min-p")
                    }
                    Label { text: qsTr("Repeat penalty") }
                    SpinBox {
                        from: 50; to: 300; stepSize: 5; editable: true
                        value: Math.round(root.settings.repeatPenalty * 100)
                        textFromValue: (v) => (v / 100).toFixed(2)
                        valueFromText: (t) => Math.round(parseFloat(t) * 100)
                        onValueModified: root.settings.repeatPenalty = value / 100
                        Accessible.name: qsTr("Repeat penalty")
                    }
                    Label { text: qsTr("Seed (−1: random)") }
                    SpinBox {
                        from: -1; to: 2147483647; editable: true
                        value: root.settings.seed
                        onValueModified: root.settings.seed = value
                        Accessible.name: qsTr("Seed")
                    }
                    Label { text: qsTr("Maximum tokens") }
                    SpinBox {
                        from: 1; to: 1048576; stepSize: 64; editable: true
                        value: root.settings.maxTokens
                        onValueModified: root.settings.maxTokens = value
                        Accessible.name: qsTr("Maximum tokens")
                    }
                    Label { text: qsTr("Context length") }
                    SpinBox {
                        from: 64; to: 1048576; stepSize: 512; editable: true
                        value: root.settings.contextLength
                        onValueModified: root.settings.contextLength = value
                        Accessible.name: qsTr("Context length")
                    }
                    Label {
                        Layout.columnSpan: 2
                        text: qsTr("The context length applies the next time a model is loaded.")
                        color: Theme.subtext
                        font.pixelSize: 12
                    }
                    Button {
                        text: qsTr("Reset to defaults")
                        Accessible.name: text
                        Accessible.onPressAction: clicked()
                        onClicked: root.settings.resetSampling()
                    }
                }
            }

            ColumnLayout {
                Label {
                    Layout.fillWidth: true
                    wrapMode: Text.Wrap
                    text: qsTr("Automatic picks: %1").arg(root.models.devices.defaultReason)
                    color: Theme.subtext
                }
                ListView {
                    objectName: "deviceList"
                    Layout.fillWidth: true
                    Layout.fillHeight: true
                    clip: true
                    model: root.models.devices
                    Accessible.name: qsTr("Devices")
                    delegate: RadioDelegate {
                        required property string key
                        required property string name
                        required property string detail
                        width: ListView.view.width
                        checked: root.settings.device === key
                        text: name + (detail.length ? " — " + detail : "")
                        Accessible.name: text
                        Accessible.onPressAction: clicked()
                        Accessible.onToggleAction: clicked()
                        onClicked: root.settings.device = key
                    }
                }
                Label {
                    text: qsTr("The device applies the next time a model is loaded.")
                    color: Theme.subtext
                    font.pixelSize: 12
                }
                // The per-GPU self-test table and its "Run again" (SelfTestSection.qml).
                SelfTestSection { Layout.fillWidth: true }
            }

            ColumnLayout {
                Label { text: qsTr("Parlo's own folder: %1").arg(root.models.modelsFolder); color: Theme.text; wrapMode: Text.WrapAnywhere; Layout.fillWidth: true }
                Label { text: qsTr("LM Studio, GPT4All and Hugging Face cache folders are found automatically."); color: Theme.subtext; wrapMode: Text.Wrap; Layout.fillWidth: true }
                ListView {
                    Layout.fillWidth: true
                    Layout.fillHeight: true
                    clip: true
                    model: root.settings.modelFolders
                    Accessible.name: qsTr("Added folders")
                    delegate: RowLayout {
                        required property string modelData
                        width: ListView.view.width
                        Label { text: modelData; Layout.fillWidth: true; elide: Text.ElideMiddle; color: Theme.text }
                        Button {
                            text: qsTr("Remove")
                            Accessible.name: qsTr("Remove folder %1").arg(modelData)
                            Accessible.onPressAction: clicked()
                            onClicked: root.settings.removeModelFolder(modelData)
                        }
                    }
                }
                Button {
                    text: qsTr("Add folder…")
                    Accessible.name: qsTr("Add a models folder")
                    Accessible.onPressAction: clicked()
                    onClicked: folderDialog.open()
                }
            }

            ColumnLayout {
                Switch {
                    objectName: "networkSwitch"
                    text: qsTr("Allow network access")
                    checked: root.settings.networkAllowed
                    Accessible.name: text
                    Accessible.onPressAction: toggle()
                    Accessible.onToggleAction: toggle()
                    onToggled: root.settings.networkAllowed = checked
                }
                Label {
                    Layout.fillWidth: true
                    wrapMode: Text.Wrap
                    color: Theme.subtext
                    text: qsTr("Parlo runs offline. Only model downloads and remote engines would use the network, "
                               + "and only while this is on. Answers never load anything from the network, "
                               + "whatever this says.")
                }
                Item { Layout.fillHeight: true }
            }

            ColumnLayout {
                Label { text: qsTr("Theme"); color: Theme.text }
                Repeater {
                    model: [{ key: "system", label: qsTr("Follow the system") }, { key: "light", label: qsTr("Light") },
                            { key: "dark", label: qsTr("Dark") }]
                    delegate: RadioButton {
                        required property var modelData
                        text: modelData.label
                        checked: root.settings.theme === modelData.key
                        Accessible.name: qsTr("Theme: %1").arg(text)
                        Accessible.onPressAction: clicked()
                        Accessible.onToggleAction: clicked()
                        onClicked: root.settings.theme = modelData.key
                    }
                }
                Item { Layout.fillHeight: true }
            }
        }
    }

    FolderDialog {
        id: folderDialog
        title: qsTr("Choose a folder with GGUF models")
        onAccepted: root.settings.addModelFolder(selectedFolder.toString())
    }
}
