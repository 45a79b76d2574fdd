@{
    RootModule           = 'Aurous.PowerShell.dll'
    ModuleVersion        = '0.1.0'
    GUID                 = 'f7be208e-d76d-42d8-81ed-3cdd6fc9c9b1'
    Author               = 'Aurous Labs'
    CompanyName          = 'Aurous Labs'
    Copyright            = '(c) Aurous Labs. Licensed under the MIT License.'
    Description          = 'Manage Aurous Labs characters from PowerShell: read, update, resynthesize, wait for and save characters, with -WhatIf on every credit-spending call; and test your scripts against a local emulator of the API.'
    PowerShellVersion    = '5.1'
    CompatiblePSEditions = @('Desktop', 'Core')
    FormatsToProcess     = @('Aurous.format.ps1xml')
    CmdletsToExport      = @(
        'Connect-Aurous'
        'Disconnect-Aurous'
        'Get-AurousContext'
        'Get-AurousCharacter'
        'New-AurousCharacter'
        'Set-AurousCharacter'
        'Save-AurousCharacter'
        'Save-AurousCharacterRef'
        'Show-AurousCharacter'
        'Invoke-AurousResynthesis'
        'Wait-AurousCharacter'
        'Remove-AurousCharacter'
        'Invoke-AurousRequest'
        'Start-AurousEmulator'
        'Stop-AurousEmulator'
        'Reset-AurousEmulator'
        'Complete-AurousEmulatorSynthesis'
        'Move-AurousEmulatorClock'
        'Add-AurousEmulatorFault'
        'Clear-AurousEmulatorFault'
        'Get-AurousEmulatorLedger'
        'Set-AurousEmulatorCredit'
    )
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('Aurous', 'AurousLabs', 'Characters', 'API', 'PSEdition_Desktop', 'PSEdition_Core', 'Windows', 'Linux', 'MacOS')
            ProjectUri   = 'https://github.com/aurous-labs/Aurous.PowerShell'
            LicenseUri   = 'https://github.com/aurous-labs/Aurous.PowerShell/blob/main/LICENSE'
            ReleaseNotes = 'First release: Connect-Aurous, character get/new/set/save/remove, Invoke-AurousResynthesis and Wait-AurousCharacter over the Aurous Labs character API.'
        }
    }
}
