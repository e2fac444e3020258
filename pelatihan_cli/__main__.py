from pelatihan_cli.cli import main

main()
