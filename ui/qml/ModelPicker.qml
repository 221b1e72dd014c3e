import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Parlo

// A button showing the model in use; its popup lists every GGUF found with its facts, and
// shows loading progress with a cancel button.
Item {
    id: root
    objectName: "modelPicker"
    required property ModelController models

    implicitHeight: 40

    // For keyboard users and tests: load the model in row `row` of the list.
    function choose(row) {
        const path = root.models.models.pathAt(row)
        if (path.length > 0) {
            root.models.load(path)
            // A refused entry keeps the popup open, so its header can say why.
            if (root.models.loadError.length === 0)
                popup.close()
        }
    }

    Button {
        id: button
        objectName: "modelPickerButton"
        anchors.fill: parent
        Accessible.name: qsTr("Model: %1").arg(label.text)
        Accessible.description: qsTr("Choose the model that answers")
        Accessible.onPressAction: clicked()
        onClicked: popup.opened ? popup.close() : popup.open()
        contentItem: RowLayout {
            spacing: 8
            Label {
                id: label
                Layout.fillWidth: true
                elide: Text.ElideRight
                color: Theme.text
                font.bold: true
                textFormat: Text.PlainText // names come from model files, never markup
                text: root.models.loading ? qsTr("Loading %1…").arg(root.models.loadingName)
                    : root.models.modelLoaded ? root.models.loadedName
                    : qsTr("Choose a model")
            }
            Label { text: "▾"; color: Theme.subtext; Accessible.ignored: true }
        }
        background: Rectangle {
            radius: 8
            color: button.hovered ? Theme.surface : Theme.raised
            border.color: Theme.border
        }
    }

    ProgressBar {
        objectName: "loadProgress"
        visible: root.models.loading
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.bottom: parent.bottom
        anchors.margins: 3
        height: 3
        value: root.models.loadProgress
        Accessible.name: qsTr("Loading progress")
    }

    Popup {
        id: popup
        y: root.height + 4
        width: Math.max(root.width, 600)
        height: Math.min(480, listView.contentHeight + header.implicitHeight + 24)
        padding: 8
        focus: true
        background: Rectangle { color: Theme.raised; border.color: Theme.border; radius: 8 }

        ColumnLayout {
            anchors.fill: parent
            spacing: 6

            RowLayout {
                id: header
                Layout.fillWidth: true
                Label {
                    Layout.fillWidth: true
                    textFormat: Text.PlainText
                    text: root.models.loading ? qsTr("Loading %1… %2%").arg(root.models.loadingName).arg(Math.round(root.models.loadProgress * 100))
                        : root.models.loadError.length > 0 ? qsTr("Could not load: %1").arg(root.models.loadError)
                        : qsTr("%n model(s) found", "", root.models.models.count)
                    color: root.models.loadError.length > 0 && !root.models.loading ? Theme.danger : Theme.subtext
                    wrapMode: Text.Wrap
                }
                Button {
                    objectName: "cancelLoadButton"
                    visible: root.models.loading
                    text: qsTr("Cancel")
                    Accessible.name: qsTr("Cancel loading")
                    Accessible.onPressAction: clicked()
                    onClicked: root.models.cancelLoad()
                }
                Button {
                    text: qsTr("Rescan")
                    flat: true
                    Accessible.name: qsTr("Scan the model folders again")
                    Accessible.onPressAction: clicked()
                    onClicked: root.models.rescan()
                }
            }

            ListView {
                id: listView
                objectName: "modelList"
                Layout.fillWidth: true
                Layout.fillHeight: true
                clip: true
                model: root.models.models
                Accessible.name: qsTr("Models")
                delegate: ItemDelegate {
                    id: entry
                    required property int index
                    required property string path
                    required property string name
                    required property string family
                    required property string summary
                    required property var features
                    required property string source
                    required property bool fits
                    required property string fitsText
                    required property string unavailable
                    objectName: "modelEntry_" + index
                    width: ListView.view.width
                    // Unreadable files and unsupported architectures stay listed, greyed, with the reason.
                    enabled: unavailable.length === 0
                    highlighted: path === root.models.loadedPath
                    Accessible.name: name + ", " + summary + (unavailable.length ? ", " + unavailable
                                                              : fitsText.length ? ", " + fitsText : "")
                    Accessible.description: features.join(", ")
                    background: Rectangle {
                        radius: 6
                        color: entry.highlighted ? Theme.selection : entry.hovered ? Theme.surface : "transparent"
                    }
                    contentItem: ColumnLayout {
                        spacing: 2
                        opacity: entry.enabled ? 1.0 : 0.75
                        RowLayout {
                            Label { text: entry.name; textFormat: Text.PlainText; font.bold: true; color: Theme.text; elide: Text.ElideRight; Layout.fillWidth: true }
                            Label { text: entry.source; color: Theme.subtext; font.pixelSize: 11 }
                        }
                        Label {
                            objectName: "modelSummary"
                            textFormat: Text.PlainText
                            text: entry.summary
                            color: Theme.subtext
                            font.pixelSize: 12
                            elide: Text.ElideRight
                            Layout.fillWidth: true
                        }
                        Label {
                            visible: entry.features.length > 0 && entry.enabled
                            text: entry.features.join(" · ")
                            color: Theme.subtext
                            font.pixelSize: 11
                            elide: Text.ElideRight
                            Layout.fillWidth: true
                        }
                        Label {
                            objectName: "modelUnavailable"
                            visible: entry.unavailable.length > 0
                            text: entry.unavailable
                            color: Theme.danger
                            font.pixelSize: 12
                            elide: Text.ElideRight
                            Layout.fillWidth: true
                        }
                        Label {
                            visible: entry.enabled && entry.fitsText.length > 0
                            text: (entry.fits ? "✓ " : "⚠ ") + entry.fitsText
                            color: entry.fits ? Theme.subtext : Theme.warning
                            font.pixelSize: 11
                            elide: Text.ElideRight
                            Layout.fillWidth: true
                        }
                    }
                    Accessible.onPressAction: clicked()
                    onClicked: root.choose(index)
                }
            }
        }
    }
}
