#Requires -Version 7.0
<#
    The module as a user gets it: the laid-out manifest, what it exports, the repository's scripts, and the README
    quickstart copied line by line into a console against a fresh emulator.
#>

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:Root = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
    $script:Manifest = Get-TestModuleManifest
    $script:Version = (Import-PowerShellDataFile $Manifest).ModuleVersion
}

Describe 'The laid-out module' {
    It 'passes Test-ModuleManifest at the repository version' {
        $module = Test-ModuleManifest -Path $Manifest

        $module.Name | Should -Be 'Aurous'
        "$($module.Version)" | Should -Be $Version
        $props = [xml](Get-Content -Raw (Join-Path $Root 'Directory.Build.props'))
        @($props.Project.PropertyGroup.VersionPrefix | Where-Object { $_ })[0] | Should -Be $Version
    }

    It 'exports exactly the manifest''s cmdlets, from the layout' {
        Import-TestModule
        $declared = (Import-PowerShellDataFile $Manifest).CmdletsToExport

        $commands = Get-Command -Module Aurous

        ($commands.Name | Sort-Object) | Should -Be ($declared | Sort-Object)
        $commands | ForEach-Object { "$($_.CommandType)" } | Sort-Object -Unique | Should -Be 'Cmdlet'
        (Get-Module Aurous).ModuleBase | Should -Be (Split-Path $Manifest)
    }
}

Describe 'Repository scripts' {
    It '<Script> parses, runs in strict mode and stops on errors' -TestCases @(
        @{ Script = 'build.ps1' }
        @{ Script = 'tools/Measure-ImportTime.ps1' }
    ) {
        param($Script)
        $errors = $null
        $ast = [System.Management.Automation.Language.Parser]::ParseFile((Join-Path $Root $Script), [ref] $null, [ref] $errors)

        $errors | Should -BeNullOrEmpty
        $ast.Extent.Text | Should -Match 'Set-StrictMode -Version Latest'
        $ast.Extent.Text | Should -Match ([regex]::Escape("`$ErrorActionPreference = 'Stop'"))
        $ast.GetHelpContent().Synopsis | Should -Not -BeNullOrEmpty
    }
}

Describe 'README' {
    BeforeAll {
        $script:Readme = Get-Content -Raw (Join-Path $Root 'README.md')
        $start = $Readme.IndexOf("`n## Quickstart")
        $end = $Readme.IndexOf("`n## ", $start + 1)
        $script:Quickstart = $Readme.Substring($start, $end - $start) -split "`n" |
            Where-Object { $_ -match '^ {7}\S' } | ForEach-Object { $_.Trim() }
        Import-TestModule
    }

    It 'gives the two commands as code lines: <Command>' -TestCases @(
        @{ Command = 'dotnet run --project src/Aurous.Emulator -- --urls http://127.0.0.1:5080' }
        @{ Command = 'dotnet tool restore && dotnet pwsh -NoProfile -File build.ps1 -Task Test' }
        @{ Command = 'dotnet build src/Aurous.PowerShell -c Release' }
        @{ Command = 'Install-Module Aurous' }
    ) {
        param($Command)
        $Readme | Should -Match ("`n {4,}" + [regex]::Escape($Command))
    }

    It 'has a quickstart that works when copied line by line' {
        $import = @($Quickstart | Where-Object { $_ -like 'Import-Module *' })
        $import | Should -Be "Import-Module ./out/Aurous/$Version/Aurous.psd1"
        $Quickstart | Should -Contain "dotnet tool install --global Aurous.Emulator --add-source ./out --version $Version"

        # The shell steps (the build, the tool's install, starting pwsh) are what this test run already did: the
        # emulator is installed from out/ into a folder of its own, first on PATH, as the install line would.
        $tools = Install-TestEmulatorTool
        $stop = '$emulator | Stop-AurousEmulator'
        $Quickstart[-1] | Should -Be $stop
        $steps = $Quickstart | Where-Object { $_ -notlike 'dotnet *' -and $_ -ne 'pwsh' -and $_ -notlike 'Import-Module *' -and $_ -ne $stop }
        $check = @(
            "'aurora=' + (Get-AurousCharacter -Id `$aurora.Id | ForEach-Object { `"`$(`$_.Status) `$(`$_.Attributes.HairColor) `$(`$_.Attributes.EyeColor)`" })"
            "'credits=' + (Get-AurousEmulatorLedger).Credits"
            $stop
            "'stopped=' + `$emulator.HasExited"
        )
        try {
            $printed = Invoke-TestPwsh -NoConnect -Environment @{ PATH = $tools + [IO.Path]::PathSeparator + $env:PATH } (($steps + $check) -join "`n")
        }
        finally {
            Remove-Item -Path (Split-Path $tools) -Recurse -Force -ErrorAction SilentlyContinue
        }

        $printed | Should -Match 'aurora=Ready silver brown' -Because $printed
        # Only the create was paid for: -WhatIf sent nothing.
        $printed | Should -Match 'credits=996'
        $printed | Should -Match 'stopped=True'
        $printed | Should -Match 'What if: Performing the operation "Resynthesize all 4 poses \(4 credits\)"'
        $printed | Should -Not -Match '(?m)^\S*(Exception|Error):'
    }
}
