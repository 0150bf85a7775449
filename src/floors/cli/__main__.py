from floors.cli import main

main()
