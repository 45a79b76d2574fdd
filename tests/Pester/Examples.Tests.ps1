#Requires -Version 7.0
<#
    The help examples written for the emulator run, as Get-Help prints them, in a session connected to a fresh
    emulator: a reader who copies them gets no error the example does not announce.
#>

BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-TestModule
    $pages = foreach ($name in (Import-PowerShellDataFile (Get-TestModuleManifest)).CmdletsToExport) {
        if (Get-EmulatorExample $name) { @{ Name = $name } }
    }
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-TestModule

    # Start-AurousEmulator's examples run the installed tool, as a reader's would: installed from the package in out/.
    $script:Tools = Install-TestEmulatorTool
    $script:SavedPath = $env:PATH
    $env:PATH = $Tools + [System.IO.Path]::PathSeparator + $env:PATH
}

AfterAll {
    $env:PATH = $SavedPath
    Remove-Item -Path (Split-Path $Tools) -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Help examples' {
    It 'include at least two that run on the emulator, one of them a pipeline through Wait-AurousCharacter' {
        $all = (Import-PowerShellDataFile (Get-TestModuleManifest)).CmdletsToExport | ForEach-Object { Get-EmulatorExample $_ }

        @($all).Count | Should -BeGreaterOrEqual 2
        @($all | Where-Object { $_.Code -match '\| Wait-AurousCharacter \|' }).Count | Should -BeGreaterOrEqual 1
    }

    It '<Name>: the emulator examples run as printed' -ForEach $pages {
        # A fresh emulator per page, at the documented limits the examples' own Connect-Aurous lines assume.
        $emulator = Start-TestEmulator -SynthesisSeconds 0 -RateLimitMultiplier 1
        try {
            foreach ($example in Get-EmulatorExample $Name) {
                $code = $example.Code.Replace('http://127.0.0.1:5080', $emulator.BaseUri.AbsoluteUri.TrimEnd('/'))
                $explanation = $example.Explanation

                # An example that is a user's Pester file runs as Pester runs it, and its failures are its errors.
                if ($code -match '(?m)^Describe ') {
                    $code = "Import-Module '$((Get-Module Pester).Path)'`n" +
                        "`$run = Invoke-Pester -Container (New-PesterContainer -ScriptBlock {`n$code`n}) -PassThru -Output None`n" +
                        "`$run.Failed | ForEach-Object { Write-Error `"`$(`$_.ExpandedName): `$(`$_.ErrorRecord)`" }`n" +
                        "if (`$run.PassedCount -lt 1) { Write-Error 'The example file ran no test.' }"
                }

                # Examples write files (Save-AurousCharacterRef -Path ./refs): into the test drive, not the checkout.
                $result = Invoke-InTestRunspace ([scriptblock]::Create($code)) -WorkingDirectory $TestDrive

                # An error the example announces (Remove's CharacterNotFound) is part of what it shows.
                $unexpected = $result.Error | Where-Object { $explanation -notmatch [regex]::Escape(($_.FullyQualifiedErrorId -split ',')[0]) }
                $unexpected | ForEach-Object { "$($_.FullyQualifiedErrorId): $_" } | Should -BeNullOrEmpty -Because "$Name $($example.Title) runs as printed"
            }
        }
        finally {
            Stop-TestEmulator
        }
    }
}
